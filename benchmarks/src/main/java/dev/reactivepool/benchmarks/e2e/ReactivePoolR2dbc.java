package dev.reactivepool.benchmarks.e2e;

import java.time.Duration;

import dev.reactivepool.r2dbc.PooledConnectionFactory;
import io.r2dbc.spi.ConnectionFactory;

/**
 * reactive-pool's R2DBC adapter in the R2DBC benchmark, with its defaults except what must match
 * r2dbc-pool's set-up: {@code maxSize} connections, all opened before measuring, the same
 * acquire timeout, and, like r2dbc-pool, each connection emitted on its own event loop. Validation is the adapter's default: the driver's local check on every
 * acquire, as r2dbc-pool's default ({@code validate(LOCAL)} on every acquire), plus a
 * not-in-a-transaction check, and a round trip only for a connection idle longer than 5 s, which
 * a measured window never has (every connection is busy; only the first acquires of a round's
 * warmup find connections idle since the other subject's turn).
 */
final class ReactivePoolR2dbc {

    private ReactivePoolR2dbc() {
    }

    static R2dbcSubject create(ConnectionFactory driver, int maxConnections, Duration acquireTimeout) {
        PooledConnectionFactory pool = PooledConnectionFactory.builder(driver)
                .name("bench-reactive-pool")
                .maxSize(maxConnections)
                .minIdle(maxConnections)
                .acquireTimeout(acquireTimeout)
                // r2dbc-pool 1.0.2 emits every connection on the connection's own event loop
                // (Wrapped.unwrap(Scheduler.class), then publishOn); the adapter does so on request.
                .deliverOnConnectionThread(true)
                .build();
        pool.warmup().block(Duration.ofSeconds(30));
        return new R2dbcSubject(R2dbcSubjects.REACTIVE_POOL, pool, pool.close());
    }
}
