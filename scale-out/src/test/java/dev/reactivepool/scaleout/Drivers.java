package dev.reactivepool.scaleout;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import io.r2dbc.spi.Statement;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** r2dbc-postgresql factories for the tests, straight to PostgreSQL or through PgBouncer. */
final class Drivers {

    /** r2dbc-postgresql's option: how many prepared statements a connection caches (0: none, unnamed statements). */
    static final Option<Integer> PREPARED_STATEMENT_CACHE_QUERIES = Option.valueOf("preparedStatementCacheQueries");

    private Drivers() {
    }

    /**
     * @param port                 PostgreSQL's or PgBouncer's port on 127.0.0.1
     * @param database             the database (a PgBouncer alias when through it)
     * @param preparedStatementCache the driver's {@code preparedStatementCacheQueries}, or null for its default
     * @return the driver's (unpooled) factory
     */
    static ConnectionFactory postgresql(int port, String database, Integer preparedStatementCache) {
        return postgresql(port, database, preparedStatementCache, "scale-out");
    }

    /** The same, with the application name the server (and PgBouncer's server sessions) will show. */
    static ConnectionFactory postgresql(int port, String database, Integer preparedStatementCache, String applicationName) {
        ConnectionFactoryOptions.Builder options = ConnectionFactoryOptions.builder()
                .option(ConnectionFactoryOptions.DRIVER, "postgresql")
                .option(ConnectionFactoryOptions.HOST, "127.0.0.1")
                .option(ConnectionFactoryOptions.PORT, port)
                .option(ConnectionFactoryOptions.USER, "postgres")
                .option(ConnectionFactoryOptions.DATABASE, database)
                .option(Option.valueOf("applicationName"), applicationName);
        if (preparedStatementCache != null) {
            options.option(PREPARED_STATEMENT_CACHE_QUERIES, preparedStatementCache);
        }
        return ConnectionFactories.get(options.build());
    }

    /** Runs a statement with its parameters bound in order ($1, $2, ...) and returns its single integer result. */
    static Mono<Integer> queryInt(Connection connection, String sql, Object... parameters) {
        return Mono.defer(() -> {
            Statement statement = connection.createStatement(sql);
            for (int i = 0; i < parameters.length; i++) {
                statement.bind(i, parameters[i]);
            }
            return Flux.from(statement.execute())
                    .flatMap(result -> result.map((row, metadata) -> row.get(0, Integer.class)))
                    .single();
        });
    }

    /** Runs one query on a connection of {@code factory}, returned after, and emits its single value. */
    static <T> Mono<T> one(ConnectionFactory factory, String sql, Class<T> type) {
        return Flux.usingWhen(factory.create(),
                        connection -> Flux.from(connection.createStatement(sql).execute())
                                .flatMap(result -> result.map((row, metadata) -> row.get(0, type))),
                        Connection::close)
                .single();
    }

    /** Runs a statement without parameters and returns its single text result. */
    static Mono<String> queryString(Connection connection, String sql) {
        return Flux.from(connection.createStatement(sql).execute())
                .flatMap(result -> result.map((row, metadata) -> row.get(0, String.class)))
                .single();
    }

    /** Runs a statement and drains its results. */
    static Mono<Void> execute(Connection connection, String sql) {
        return Flux.from(connection.createStatement(sql).execute())
                .concatMap(result -> result.getRowsUpdated())
                .then();
    }
}
