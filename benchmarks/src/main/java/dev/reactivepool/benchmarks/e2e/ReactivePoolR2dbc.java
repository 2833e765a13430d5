package dev.reactivepool.benchmarks.e2e;

import io.r2dbc.spi.ConnectionFactory;

/**
 * reactive-pool's R2DBC adapter in the R2DBC benchmark. PENDING: the adapter
 * ({@code dev.reactivepool.r2dbc}) has not landed yet, so this subject is not run and the report
 * says so.
 */
final class ReactivePoolR2dbc {

    static final boolean AVAILABLE = false;

    private ReactivePoolR2dbc() {
    }

    static R2dbcSubject create(ConnectionFactory driver, int maxConnections) {
        throw new UnsupportedOperationException("the reactive-pool R2DBC adapter is not available in this build");
    }
}
