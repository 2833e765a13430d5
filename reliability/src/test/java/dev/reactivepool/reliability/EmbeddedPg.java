package dev.reactivepool.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One embedded PostgreSQL (io.zonky.test, binaries from Maven Central) on 127.0.0.1 for the whole
 * test JVM, started on first use by a test thread and stopped at JVM exit. Also a JDBC observer
 * of the server's own view of connections, by application name; JDBC blocks, so it is only
 * called from test threads.
 */
final class EmbeddedPg {

    private static EmbeddedPostgres server;

    private EmbeddedPg() {
    }

    /** @return the running server, started on first call */
    static EmbeddedPostgres get() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "300")
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // The JVM is exiting; the server's process is killed with it.
                }
            }, "embedded-postgres-stop"));
        }
        return server;
    }

    /**
     * Opens, uses and closes one driver connection straight to the server: the first connection
     * of a JVM loads the driver's and Netty's classes, which can take seconds on a busy machine,
     * longer than the pools' creation timeouts under test.
     */
    static void warmDriver() {
        reactor.core.publisher.Flux.usingWhen(driver(port(), "warmup").create(),
                        c -> reactor.core.publisher.Flux.from(c.createStatement("SELECT 1").execute())
                                .flatMap(r -> r.getRowsUpdated()),
                        io.r2dbc.spi.Connection::close)
                .blockLast(java.time.Duration.ofSeconds(60));
    }

    /** @return the server's port */
    static int port() {
        return get().getPort();
    }

    /**
     * @param port            where the driver connects (the fault proxy's port)
     * @param applicationName tags the server-side sessions so that they can be counted
     * @return the r2dbc-postgresql driver's (unpooled) factory
     */
    static ConnectionFactory driver(int port, String applicationName) {
        return ConnectionFactories.get(ConnectionFactoryOptions.builder()
                .option(ConnectionFactoryOptions.DRIVER, "postgresql")
                .option(ConnectionFactoryOptions.HOST, "127.0.0.1")
                .option(ConnectionFactoryOptions.PORT, port)
                .option(ConnectionFactoryOptions.USER, "postgres")
                .option(ConnectionFactoryOptions.DATABASE, "postgres")
                .option(Option.valueOf("applicationName"), applicationName)
                .build());
    }

    /** @return how many server sessions carry this application name, seen by the server itself */
    static int backends(String applicationName) {
        try (Connection c = get().getPostgresDatabase().getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            s.setString(1, applicationName);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot observe the server", e);
        }
    }
}
