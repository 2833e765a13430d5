package dev.reactivepool.benchmarks.e2e;

import java.time.Duration;

import dev.reactivepool.http.ReactivePoolConnectionProvider;
import reactor.netty.resources.ConnectionProvider;

/**
 * reactive-pool's Reactor Netty {@code ConnectionProvider} in the HTTP benchmark, configured like
 * Reactor Netty's pool: {@code maxConnections} per host, unbounded pending acquirers; its idle cap
 * ({@code maxIdle}) is {@code maxConnections} except in the burst scenario, which lowers it.
 * {@code -D}{@value #AFFINITY_PROPERTY}{@code =true} turns on {@code connectionAffinity} (off by
 * default, as in the adapter), to compare the two settings in runs back to back.
 */
final class ReactivePoolHttp {

    /** The system property that turns on the adapter's {@code connectionAffinity}. */
    static final String AFFINITY_PROPERTY = "bench.http.connectionAffinity";

    private ReactivePoolHttp() {
    }

    static ConnectionProvider create(int maxConnections, int maxIdle) {
        return ReactivePoolConnectionProvider.builder("bench-reactive-pool")
                .maxConnections(maxConnections)
                .maxIdle(maxIdle)
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(Duration.ofSeconds(60))
                .connectionAffinity(Boolean.getBoolean(AFFINITY_PROPERTY))
                .build();
    }
}
