package dev.reactivepool.benchmarks.e2e;

import reactor.netty.resources.ConnectionProvider;

/**
 * A connection provider compared by the HTTP benchmark.
 *
 * @param name     the name in the report
 * @param provider the provider given to {@code HttpClient.create}
 */
record HttpSubject(String name, ConnectionProvider provider) {
}
