package dev.reactivepool.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Embedded PostgreSQL (io.zonky.test, a PostgreSQL binary from Maven Central) for tests, always on
 * 127.0.0.1: started on demand, or one {@linkplain #shared() shared} server per test JVM. Starting,
 * stopping and the JDBC observer block, so they are only called from test threads, never from a
 * Reactor thread.
 */
public final class EmbeddedPostgresServer {

    /** Enough for the stress and reliability tests, which open a few hundred sessions. */
    public static final int MAX_CONNECTIONS = 300;

    private EmbeddedPostgresServer() {
    }

    /**
     * Starts a server of its own on 127.0.0.1; the caller closes it.
     *
     * @param port the port, or 0 for a free one
     * @return the running server
     */
    public static EmbeddedPostgres start(int port) {
        return start(port, null);
    }

    /**
     * Starts a server of its own on 127.0.0.1 whose data directory outlives it, so that a test can
     * stop it and start it again on the same data; the caller closes it.
     *
     * @param port          the port, or 0 for a free one
     * @param dataDirectory where the data is kept, or null for a fresh temporary directory
     * @return the running server
     */
    public static EmbeddedPostgres start(int port, Path dataDirectory) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", Integer.toString(MAX_CONNECTIONS))
                    .setServerConfig("listen_addresses", "127.0.0.1");
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            if (port != 0) {
                builder.setPort(port);
            }
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The JVM's shared server, started on the first call and stopped when the JVM exits.
     *
     * @return the running server
     */
    public static EmbeddedPostgres shared() {
        return Shared.SERVER;
    }

    /** Started when first read: the JVM initializes this class once, whatever the threads. */
    private static final class Shared {
        static final EmbeddedPostgres SERVER = startShared();

        private static EmbeddedPostgres startShared() {
            EmbeddedPostgres started = start(0);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // The JVM is exiting; the server's process goes with it.
                }
            }, "embedded-postgres-stop"));
            return started;
        }
    }

    /**
     * The server's own count of sessions with this application name (from
     * {@code pg_stat_activity}, over JDBC).
     *
     * @param server          the server to ask
     * @param applicationName the sessions' application name
     * @return how many sessions carry it
     */
    public static int backends(EmbeddedPostgres server, String applicationName) {
        try (Connection c = server.getPostgresDatabase().getConnection();
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
