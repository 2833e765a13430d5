package dev.reactivepool.samples;

import java.time.Duration;

import dev.reactivepool.r2dbc.PooledConnectionFactory;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The R2DBC adapter examples of the README and docs/r2dbc-adapter.md, compiled: a pool
 * configured in code, and one configured by URL. Both run against a PostgreSQL on 127.0.0.1 that trusts the user {@code postgres} (the
 * embedded one of {@link DemoDatabase}). Nothing blocks; the caller closes the pools.
 */
public final class R2dbcAdapterExamples {

    private R2dbcAdapterExamples() {
    }

    /**
     * What an example built: its pool and its lazy query.
     *
     * @param pool  the pooling connection factory, to close when done
     * @param query the example's query, lazy
     * @param <T>   the query's results
     */
    public record Example<T>(ConnectionFactory pool, Flux<T> query) {
    }

    /**
     * The pool configured in code, and a query through it.
     *
     * @param port the port of PostgreSQL on 127.0.0.1
     * @return the pool and the names of the databases, lazily
     */
    public static Example<String> inCode(int port) {
        ConnectionFactory postgres = ConnectionFactories.get("r2dbc:postgresql://postgres@127.0.0.1:" + port + "/postgres");
        PooledConnectionFactory pool = PooledConnectionFactory.builder(postgres)
                .maxSize(20)
                .maxIdle(10)
                .acquireTimeout(Duration.ofSeconds(5))
                .resetQuery("DISCARD ALL")
                .build();

        Flux<String> databases = Flux.usingWhen(pool.create(),
                connection -> Flux.from(connection.createStatement("SELECT datname FROM pg_database").execute())
                        .flatMap(result -> result.map((row, metadata) -> row.get("datname", String.class))),
                Connection::close);
        return new Example<>(pool, databases);
    }

    /**
     * The pool configured by URL, and a query through it.
     *
     * @param port the port of PostgreSQL on 127.0.0.1
     * @return the pool and the result of {@code SELECT 1}, lazily
     */
    public static Example<Integer> byUrl(int port) {
        ConnectionFactory pool = ConnectionFactories.get("r2dbc:reactivepool:postgresql://postgres@127.0.0.1:" + port
                + "/postgres?maxSize=20&maxIdle=10&acquireTimeout=PT5S&resetQuery=DISCARD%20ALL");

        Mono<Integer> one = Mono.usingWhen(pool.create(),
                connection -> Mono.from(connection.createStatement("SELECT 1").execute())
                        .flatMap(result -> Mono.from(result.map((row, metadata) -> row.get(0, Integer.class)))),
                Connection::close);
        return new Example<>(pool, one.flux());
    }
}
