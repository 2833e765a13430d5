package dev.reactivepool.benchmarks.e2e;

import java.time.Duration;
import java.util.List;

import reactor.netty.resources.ConnectionProvider;

/**
 * Builds the connection providers compared by the HTTP benchmark: at most
 * {@value #MAX_CONNECTIONS} connections, unbounded pending acquirers (the benchmark's own
 * concurrency bounds them), no prewarming.
 */
final class HttpSubjects {

    static final int MAX_CONNECTIONS = 16;

    /** reactive-pool's idle cap in the burst scenario. */
    static final int BURST_MAX_IDLE = 8;

    static final String REACTIVE_POOL = "reactive-pool";
    static final String REACTOR_NETTY = "reactor-netty pool";
    static final String NO_POOL = "new connection per request";

    private HttpSubjects() {
    }

    static List<String> names() {
        return SubjectFilter.apply(List.of(REACTIVE_POOL, REACTOR_NETTY, NO_POOL));
    }

    /** The subjects of the burst scenario: the two pools. */
    static List<String> burstNames() {
        return SubjectFilter.apply(List.of(REACTIVE_POOL, REACTOR_NETTY));
    }

    /**
     * A subject for the burst scenario: as {@link #create(String)}, with reactive-pool's idle cap
     * at {@value #BURST_MAX_IDLE}; Reactor Netty's pool has no idle cap.
     */
    static HttpSubject createForBurst(String name) {
        return name.equals(REACTIVE_POOL)
                ? new HttpSubject(name, ReactivePoolHttp.create(MAX_CONNECTIONS, BURST_MAX_IDLE))
                : create(name);
    }

    /** The idle cap of a burst subject, or -1 for none. */
    static int burstMaxIdle(String name) {
        return name.equals(REACTIVE_POOL) ? BURST_MAX_IDLE : -1;
    }

    /**
     * A subject for the throughput case. Reactor Netty's pool in its default configuration (FIFO,
     * no idle timeout, no background eviction, metrics off) apart from the limits both share.
     */
    static HttpSubject create(String name) {
        switch (name) {
            case REACTIVE_POOL:
                return new HttpSubject(name, ReactivePoolHttp.create(MAX_CONNECTIONS, MAX_CONNECTIONS));
            case REACTOR_NETTY:
                return new HttpSubject(name, ConnectionProvider.builder("bench-reactor-netty")
                        .maxConnections(MAX_CONNECTIONS)
                        .pendingAcquireMaxCount(-1)
                        .pendingAcquireTimeout(Duration.ofSeconds(60))
                        .build());
            case NO_POOL:
                return new HttpSubject(name, ConnectionProvider.newConnection());
            default:
                throw new IllegalArgumentException("unknown HTTP subject '" + name + "'");
        }
    }
}
