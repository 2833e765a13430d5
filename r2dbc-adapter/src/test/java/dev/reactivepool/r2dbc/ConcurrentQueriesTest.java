package dev.reactivepool.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.reactivepool.PoolMetrics;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.reactivestreams.Publisher;
import org.springframework.jdbc.core.JdbcTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * 500 concurrent queries through a pool of 10: every query succeeds, and the server, asked by
 * each query itself (pg_stat_activity at the moment the query runs), never sees more than 10
 * connections of the pool. The driver's create() is never subscribed on a non-blocking thread.
 */
final class ConcurrentQueriesTest {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Test
    void fiveHundredConcurrentQueriesNeverUseMoreThanMaxSizeConnections() {
        String app = "concurrent-500";
        AtomicInteger creations = new AtomicInteger();
        AtomicInteger creationsOnNonBlockingThreads = new AtomicInteger();
        ConnectionFactory driver = PgSupport.driver(PG.port(), app);
        ConnectionFactory probe = new ConnectionFactory() {
            @Override
            public Publisher<? extends io.r2dbc.spi.Connection> create() {
                return Mono.defer(() -> {
                    creations.incrementAndGet();
                    if (Schedulers.isInNonBlockingThread()) {
                        creationsOnNonBlockingThreads.incrementAndGet();
                    }
                    return Mono.from(driver.create());
                });
            }

            @Override
            public ConnectionFactoryMetadata getMetadata() {
                return driver.getMetadata();
            }
        };
        PooledConnectionFactory factory = PooledConnectionFactory.builder(probe)
                .maxSize(10)
                .acquireTimeout(Duration.ofSeconds(60))
                .build();
        String sql = "SELECT (SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + app
                + "') FROM pg_sleep(0.005)";
        try {
            long start = System.nanoTime();
            List<Long> seen = Flux.range(0, 500)
                    .flatMap(i -> PgSupport.queryOne(factory, sql, Long.class), 500)
                    .collectList()
                    .block(Duration.ofMinutes(2));
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(seen).hasSize(500);
            long max = seen.stream().mapToLong(Long::longValue).max().orElseThrow();
            PoolMetrics metrics = factory.metrics();
            System.out.printf("500 queries, maxSize 10: %d ms, max pg_stat_activity count seen %d, "
                    + "connections created %d, pool %s%n", millis, max, creations.get(), metrics);
            assertThat(max).as("connections of the pool seen by the server").isBetween(1L, 10L);
            assertThat(creations.get()).as("connections opened").isBetween(1, 10);
            assertThat(creationsOnNonBlockingThreads.get()).as("driver create() on an event loop").isZero();
            assertThat(metrics.leased()).isZero();
            assertThat(metrics.acquired()).isEqualTo(500);
            assertThat(metrics.total()).isLessThanOrEqualTo(10);
            JdbcTemplate jdbc = PgSupport.observer(PG.server().getPostgresDatabase());
            assertThat(PgSupport.backends(jdbc, app)).isLessThanOrEqualTo(10);
        } finally {
            factory.close().block(Duration.ofSeconds(30));
        }
    }
}
