package dev.reactivepool.benchmarks.e2e;

import java.time.Duration;

import dev.reactivepool.r2dbc.PooledConnectionFactory;
import io.r2dbc.spi.ConnectionFactory;

/**
 * reactive-pool's R2DBC adapter in the R2DBC benchmark, with its defaults except the size:
 * {@code maxSize} connections, all opened before measuring, as r2dbc-pool's are.
 */
final class ReactivePoolR2dbc {

    private ReactivePoolR2dbc() {
    }

    static R2dbcSubject create(ConnectionFactory driver, int maxConnections) {
        PooledConnectionFactory pool = PooledConnectionFactory.builder(driver)
                .name("bench-reactive-pool")
                .maxSize(maxConnections)
                .minIdle(maxConnections)
                .build();
        pool.warmup().block(Duration.ofSeconds(30));
        return new R2dbcSubject(R2dbcSubjects.REACTIVE_POOL, pool, pool.close());
    }
}
