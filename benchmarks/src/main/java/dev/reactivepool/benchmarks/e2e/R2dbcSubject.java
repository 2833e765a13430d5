package dev.reactivepool.benchmarks.e2e;

import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Mono;

/**
 * A way to get connections in the R2DBC benchmark: a pool, or a new connection per query.
 *
 * @param name    the name in the report
 * @param factory where queries get their connection; {@code Connection.close()} gives it back
 * @param close   closes the pool, if any
 */
record R2dbcSubject(String name, ConnectionFactory factory, Mono<Void> close) {
}
