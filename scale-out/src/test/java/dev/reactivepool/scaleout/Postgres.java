package dev.reactivepool.scaleout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.reactivepool.testsupport.EmbeddedPostgresServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The embedded PostgreSQL 17 (io.zonky.test) on 127.0.0.1 with a database {@code app} that the
 * pools use, observed through JDBC from database {@code postgres} so that the observer never
 * counts itself. Restartable on the same port with the same data directory (data survives a
 * restart). Blocking: call from the test thread only.
 */
final class Postgres implements AutoCloseable {

    /** The database the pools use. */
    static final String DATABASE = "app";
    /** Rows of table {@code item} (id 1..ROWS). */
    static final int ROWS = 1000;

    private final Path dataDirectory;
    private EmbeddedPostgres server;
    private final int port;

    private Postgres(Path dataDirectory, EmbeddedPostgres server) {
        this.dataDirectory = dataDirectory;
        this.server = server;
        this.port = server.getPort();
    }

    /** @return a running server on a free port with database {@code app} */
    static Postgres start() {
        try {
            Path dataDirectory = Files.createTempDirectory("scale-out-pg");
            Postgres postgres = new Postgres(dataDirectory, launch(dataDirectory, 0));
            postgres.createSchema();
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EmbeddedPostgres launch(Path dataDirectory, int port) {
        // The data directory is kept across a restart; close() deletes it.
        return EmbeddedPostgresServer.start(port, dataDirectory);
    }

    private void createSchema() {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        try (Connection c = server.getDatabase("postgres", DATABASE).getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL, stock INTEGER NOT NULL)");
            s.execute("INSERT INTO item SELECT i, 'item-' || i, 100 FROM generate_series(1, " + ROWS + ") i");
            s.execute("CREATE TABLE ledger (id BIGSERIAL PRIMARY KEY, note TEXT NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the port on 127.0.0.1 */
    int port() {
        return port;
    }

    /** Stops the server (fast shutdown: every backend is terminated). */
    void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close();
            server = null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server again on the same port and data directory. */
    void startAgain() {
        server = launch(dataDirectory, port);
    }

    /**
     * @return a JDBC connection to database {@code postgres} for repeated observation (a new one
     *         per sample would fork a backend per sample); the caller closes it
     */
    Connection observer() {
        try {
            return server.getPostgresDatabase().getConnection();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @return how many client backends of this application name are connected to database
     *         {@code app}, seen through {@code observer}
     */
    static int backends(Connection observer, String applicationName) {
        try (PreparedStatement s = observer.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + DATABASE + "' AND application_name = ?")) {
            s.setString(1, applicationName);
            ResultSet rs = s.executeQuery();
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return how many client backends are connected to database {@code app} */
    int backends() {
        return queryInt("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + DATABASE + "'");
    }

    /** @return the state of every backend of database {@code app} (idle, active, idle in transaction, ...) */
    List<String> backendStates() {
        return queryStrings("SELECT coalesce(state, 'null') FROM pg_stat_activity WHERE datname = '" + DATABASE + "'");
    }

    /** Terminates every backend of database {@code app}; returns how many. */
    int terminateBackends() {
        return queryInt("SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                + DATABASE + "') t");
    }

    /** Runs a query of one integer against database {@code app}. */
    int appInt(String sql) {
        try (Connection c = server.getDatabase("postgres", DATABASE).getConnection();
             PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    int queryInt(String sql) {
        try (Connection c = server.getPostgresDatabase().getConnection();
             PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    List<String> queryStrings(String sql) {
        try (Connection c = server.getPostgresDatabase().getConnection();
             PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop();
        try (var files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temporary directory left behind is harmless.
        }
    }
}
