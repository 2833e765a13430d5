package dev.reactivepool.benchmarks.e2e;

import reactor.netty.resources.ConnectionProvider;

/**
 * reactive-pool's Reactor Netty {@code ConnectionProvider} in the HTTP benchmark. PENDING: the
 * adapter ({@code dev.reactivepool.http}) has not landed yet, so this subject is not run and the
 * report says so.
 */
final class ReactivePoolHttp {

    static final boolean AVAILABLE = false;

    private ReactivePoolHttp() {
    }

    static ConnectionProvider create(int maxConnections) {
        throw new UnsupportedOperationException("the reactive-pool HTTP adapter is not available in this build");
    }
}
