package dev.reactivepool.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import dev.reactivepool.PoolMetrics;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.reactivestreams.Publisher;
import org.springframework.jdbc.core.JdbcTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A cancellation storm: 10,000 pieces of work (plain queries, committed and rolled-back
 * transactions), each cut short after a random delay of 0 to 8 ms (except one in a hundred, which
 * must complete), so that cancellations land while waiting for a connection, while it is
 * validated, mid-query, mid-transaction and while it is being returned.
 * Afterwards the pool shows nothing leased, and the server at most maxSize connections of the pool,
 * none of them inside a transaction; the pool still works.
 */
final class CancellationStormTest {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final int MAX_SIZE = 10;
    private static final int OPERATIONS = 10_000;

    @Test
    void tenThousandRandomCancellationsLeaveNothingLeasedAndNoTransactionOpen() {
        String app = "cancellation-storm";
        JdbcTemplate jdbc = PgSupport.observer(PG.server().getPostgresDatabase());
        jdbc.execute("CREATE TABLE IF NOT EXISTS storm (v INTEGER)");
        PooledConnectionFactory factory = PooledConnectionFactory.builder(PgSupport.driver(PG.port(), app))
                .maxSize(MAX_SIZE)
                .acquireTimeout(Duration.ofSeconds(30))
                .resetTimeout(Duration.ofSeconds(5))
                .build();
        SplittableRandom random = new SplittableRandom(42);
        long[] delaysMicros = new long[OPERATIONS];
        int[] kinds = new int[OPERATIONS];
        for (int i = 0; i < OPERATIONS; i++) {
            delaysMicros[i] = random.nextLong(0, 8_000);
            kinds[i] = random.nextInt(3);
        }
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        try {
            // Open the ten connections first, so that the storm hits working connections.
            Flux.range(0, MAX_SIZE)
                    .flatMap(i -> PgSupport.queryOne(factory, "SELECT 1 FROM pg_sleep(0.05)", Integer.class))
                    .blockLast(Duration.ofSeconds(60));
            long start = System.nanoTime();
            Flux.range(0, OPERATIONS)
                    .flatMap(i -> Flux.usingWhen(factory.create(), c -> work(c, kinds[i], i), Connection::close)
                            .then(Mono.fromRunnable(completed::incrementAndGet))
                            // One operation in a hundred is never cut short: it must complete.
                            .take(i % 100 == 0 ? Duration.ofMinutes(1) : Duration.ofNanos(delaysMicros[i] * 1000))
                            .onErrorResume(e -> {
                                failed.incrementAndGet();
                                return Mono.empty();
                            })
                            .then(), 16)
                    .blockLast(Duration.ofMinutes(3));
            long millis = (System.nanoTime() - start) / 1_000_000;

            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                PoolMetrics m = factory.metrics();
                assertThat(m.leased()).as("leased").isZero();
                assertThat(m.pending()).as("pending").isZero();
                assertThat(m.total()).as("every live connection is idle").isEqualTo(m.idle());
            });
            PoolMetrics metrics = factory.metrics();
            List<String> states = PgSupport.backendStates(jdbc, app);
            System.out.printf("cancellation storm: %d operations in %d ms, completed %d, cancelled or timed "
                            + "out %d, failed %d; server states %s; pool %s%n", OPERATIONS, millis,
                    completed.get(), OPERATIONS - completed.get() - failed.get(), failed.get(), states, metrics);

            assertThat(completed.get()).as("work completed (every 100th operation at least)")
                    .isGreaterThanOrEqualTo(OPERATIONS / 100);
            assertThat(completed.get()).as("some work was cancelled").isLessThan(OPERATIONS);
            assertThat(failed.get()).as("operations that failed (rather than completed or were cut short)").isZero();
            assertThat(states.size()).as("server-side connections of the pool").isLessThanOrEqualTo(MAX_SIZE);
            assertThat(states).as("server-side states").allMatch(state -> state.equals("idle"));
            assertThat(metrics.total()).isLessThanOrEqualTo(MAX_SIZE);
            // The reset left no connection dirty: validation on acquire never had to catch one.
            assertThat(metrics.validationFailures()).as("dirty or dead connections caught on acquire").isZero();
            List<Integer> after = Flux.range(0, 50)
                    .flatMap(i -> PgSupport.queryOne(factory, "SELECT 1", Integer.class))
                    .collectList().block(Duration.ofSeconds(30));
            assertThat(after).hasSize(50).containsOnly(1);
        } finally {
            factory.close().block(Duration.ofSeconds(30));
        }
    }

    private static Publisher<?> work(Connection connection, int kind, int i) {
        switch (kind) {
            case 0:
                return Flux.from(connection.createStatement("SELECT pg_sleep(0.002)").execute())
                        .flatMap(Result::getRowsUpdated);
            case 1:
                return Mono.from(connection.beginTransaction())
                        .thenMany(insert(connection, i))
                        .thenMany(Flux.from(connection.createStatement("SELECT pg_sleep(0.001)").execute())
                                .flatMap(Result::getRowsUpdated))
                        .then(Mono.from(connection.commitTransaction()));
            default:
                return Mono.from(connection.beginTransaction())
                        .thenMany(insert(connection, i))
                        .then(Mono.from(connection.rollbackTransaction()));
        }
    }

    private static Flux<Long> insert(Connection connection, int i) {
        return Flux.from(connection.createStatement("INSERT INTO storm VALUES ($1)").bind("$1", i).execute())
                .flatMap(Result::getRowsUpdated);
    }
}
