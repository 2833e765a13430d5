package dev.reactivepool.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.R2dbcException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The server stopped and restarted on the same port. While it is down, acquires fail with a
 * clear R2DBC error within the acquire timeout and the pool backs off between connection
 * attempts (counted by wrapping the driver's factory); once it is back, the pool reopens its
 * minimum of idle connections by itself, with nobody asking for one, and queries succeed.
 */
final class ServerRestartTest {

    private static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(1);

    @Test
    void whileDownAcquiresFailFastAndAttemptsBackOffThenThePoolRecoversByItself() throws IOException {
        EmbeddedPostgres server = PostgresExtension.start(0);
        int port = server.getPort();
        String app = "restart";
        List<Long> attempts = new CopyOnWriteArrayList<>();
        ConnectionFactory driver = PgSupport.driver(port, app);
        ConnectionFactory counting = new ConnectionFactory() {
            @Override
            public Publisher<? extends Connection> create() {
                return Mono.defer(() -> {
                    attempts.add(System.nanoTime());
                    return Mono.from(driver.create());
                });
            }

            @Override
            public ConnectionFactoryMetadata getMetadata() {
                return driver.getMetadata();
            }
        };
        PooledConnectionFactory factory = PooledConnectionFactory.builder(counting)
                .maxSize(4)
                .minIdle(2)
                .acquireTimeout(ACQUIRE_TIMEOUT)
                .createTimeout(Duration.ofSeconds(10))
                .creationBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .evictionInterval(Duration.ofMillis(100))
                .remoteValidationAfterIdle(Duration.ZERO)
                .validationTimeout(Duration.ofMillis(500))
                .build();
        try {
            assertThat(factory.warmup().block(Duration.ofSeconds(10))).isEqualTo(2);
            assertThat(PgSupport.queryOne(factory, "SELECT 1", Integer.class).block(Duration.ofSeconds(10)))
                    .isEqualTo(1);

            server.close();
            int attemptsBeforeOutage = attempts.size();
            long outageStart = System.nanoTime();

            // Twelve queries, one every 250 ms, while the server is down.
            record Outcome(long millis, Throwable error) {
            }
            List<Outcome> outcomes = Flux.interval(Duration.ofMillis(250)).take(12)
                    .flatMap(i -> {
                        long start = System.nanoTime();
                        return PgSupport.queryOne(factory, "SELECT 1", Integer.class)
                                .map(ok -> new Outcome((System.nanoTime() - start) / 1_000_000, null))
                                .onErrorResume(e -> Mono.just(
                                        new Outcome((System.nanoTime() - start) / 1_000_000, e)));
                    })
                    .collectList()
                    .block(Duration.ofSeconds(30));
            long outageMillis = (System.nanoTime() - outageStart) / 1_000_000;
            List<Long> outageAttempts = new ArrayList<>(attempts.subList(attemptsBeforeOutage, attempts.size()));

            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < outageAttempts.size(); i++) {
                gaps.add((outageAttempts.get(i) - outageAttempts.get(i - 1)) / 1_000_000);
            }
            System.out.printf("outage of %d ms: %d acquires, %d connection attempts, gaps between attempts (ms) %s, "
                            + "acquire outcomes (ms) %s, first error: %s%n", outageMillis, outcomes.size(),
                    outageAttempts.size(), gaps, outcomes.stream().map(Outcome::millis).toList(),
                    outcomes.get(0).error());

            assertThat(outcomes).hasSize(12).allSatisfy(outcome -> {
                assertThat(outcome.error()).isInstanceOf(R2dbcException.class);
                // The driver's own error, or the pool's timeout naming it as the failing creation.
                StringBuilder messages = new StringBuilder();
                for (Throwable t = outcome.error(); t != null; t = t.getCause()) {
                    messages.append(t.getMessage()).append('\n');
                }
                assertThat(messages.toString()).contains("Cannot connect to 127.0.0.1");
                assertThat(outcome.millis()).as("failed within the acquire timeout")
                        .isLessThanOrEqualTo(ACQUIRE_TIMEOUT.toMillis() + 700);
            });
            // Without backoff every acquire (and every minIdle refill, every 100 ms) would try.
            assertThat(outageAttempts.size()).as("connection attempts during the outage")
                    .isBetween(2, 10);

            server = PostgresExtension.start(port);
            EmbeddedPostgres restarted = server;
            // Nobody acquires: the pool reopens minIdle connections on its own.
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> PgSupport.backends(
                    PgSupport.observer(restarted.getPostgresDatabase()), app) >= 2);
            List<Integer> results = Flux.range(0, 10)
                    .flatMap(i -> PgSupport.queryOne(factory, "SELECT 1", Integer.class))
                    .collectList().block(Duration.ofSeconds(10));
            assertThat(results).hasSize(10).containsOnly(1);
            assertThat(factory.metrics().creationFailures()).isGreaterThanOrEqualTo(1);
            System.out.println("after restart: " + attempts.size() + " connection attempts in all; "
                    + factory.metrics());
        } finally {
            factory.close().block(Duration.ofSeconds(10));
            server.close();
        }
    }
}
