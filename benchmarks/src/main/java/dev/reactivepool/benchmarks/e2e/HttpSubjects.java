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

    static final String REACTIVE_POOL = "reactive-pool";
    static final String REACTOR_NETTY = "reactor-netty pool";
    static final String NO_POOL = "new connection per request";

    private HttpSubjects() {
    }

    static List<String> names() {
        return SubjectFilter.apply(List.of(REACTIVE_POOL, REACTOR_NETTY, NO_POOL));
    }

    static HttpSubject create(String name) {
        switch (name) {
            case REACTIVE_POOL:
                return new HttpSubject(name, ReactivePoolHttp.create(MAX_CONNECTIONS));
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
