package dev.reactivepool.r2dbc;

import java.util.List;

import javax.sql.DataSource;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.springframework.jdbc.core.JdbcTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Test helpers: the r2dbc-postgresql driver factory for a server, a JDBC observer that looks at
 * the server's view of the pool's connections (by application name), and a one-query helper.
 * The observer uses JDBC, which blocks: it is only called on the test thread.
 */
final class PgSupport {

    private PgSupport() {
    }

    /** @return options for the r2dbc-postgresql driver, tagging connections with {@code applicationName} */
    static ConnectionFactoryOptions driverOptions(int port, String applicationName) {
        return ConnectionFactoryOptions.builder()
                .option(ConnectionFactoryOptions.DRIVER, "postgresql")
                .option(ConnectionFactoryOptions.HOST, "127.0.0.1")
                .option(ConnectionFactoryOptions.PORT, port)
                .option(ConnectionFactoryOptions.USER, "postgres")
                .option(ConnectionFactoryOptions.DATABASE, "postgres")
                .option(io.r2dbc.spi.Option.valueOf("applicationName"), applicationName)
                .build();
    }

    /** @return the driver's (unpooled) connection factory */
    static ConnectionFactory driver(int port, String applicationName) {
        return ConnectionFactories.get(driverOptions(port, applicationName));
    }

    /** @return a JDBC observer of the server */
    static JdbcTemplate observer(DataSource dataSource) {
        return new JdbcTemplate(dataSource);
    }

    /** @return how many backends the server has for this application name */
    static int backends(JdbcTemplate jdbc, String applicationName) {
        Integer count = jdbc.queryForObject(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?", Integer.class, applicationName);
        return count == null ? 0 : count;
    }

    /** @return the states (idle, active, idle in transaction, ...) of the backends of this application name */
    static List<String> backendStates(JdbcTemplate jdbc, String applicationName) {
        return jdbc.queryForList("SELECT coalesce(state, 'null') FROM pg_stat_activity WHERE application_name = ?",
                String.class, applicationName);
    }

    /** Terminates every backend of this application name; returns how many were terminated. */
    static int terminateBackends(JdbcTemplate jdbc, String applicationName) {
        List<Boolean> terminated = jdbc.queryForList(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?",
                Boolean.class, applicationName);
        return (int) terminated.stream().filter(Boolean.TRUE::equals).count();
    }

    /** Runs one query returning one value through a connection from {@code factory}, closing it after. */
    static <T> Mono<T> queryOne(ConnectionFactory factory, String sql, Class<T> type) {
        return Flux.usingWhen(factory.create(),
                        connection -> Flux.from(connection.createStatement(sql).execute())
                                .flatMap(result -> result.map((row, metadata) -> row.get(0, type))),
                        Connection::close)
                .single();
    }

    /** Runs one query returning one value on an already borrowed connection. */
    static <T> Mono<T> queryOn(Connection connection, String sql, Class<T> type) {
        return Flux.from(connection.createStatement(sql).execute())
                .flatMap(result -> result.map((row, metadata) -> row.get(0, type)))
                .single();
    }
}
