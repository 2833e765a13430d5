package dev.reactivepool.benchmarks.e2e;

import java.time.Duration;

import dev.reactivepool.http.ReactivePoolConnectionProvider;
import reactor.netty.resources.ConnectionProvider;

/**
 * reactive-pool's Reactor Netty {@code ConnectionProvider} in the HTTP benchmark, configured like
 * Reactor Netty's pool: {@code maxConnections} per host, unbounded pending acquirers; its idle cap
 * ({@code maxIdle}) is {@code maxConnections} except in the burst scenario, which lowers it.
 */
final class ReactivePoolHttp {

    private ReactivePoolHttp() {
    }

    static ConnectionProvider create(int maxConnections, int maxIdle) {
        return ReactivePoolConnectionProvider.builder("bench-reactive-pool")
                .maxConnections(maxConnections)
                .maxIdle(maxIdle)
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(Duration.ofSeconds(60))
                .build();
    }
}
