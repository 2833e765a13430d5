package dev.reactivepool.spring.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import dev.reactivepool.testsupport.EmbeddedPostgresServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One embedded PostgreSQL (test-support's {@link EmbeddedPostgresServer}) on 127.0.0.1 for every
 * test of the JVM, started on first use and stopped when the JVM exits, and a JDBC view of the
 * server's sessions ({@code pg_stat_activity}) by application name. JDBC blocks: these methods
 * run on test threads only.
 */
public final class EmbeddedDatabase {

    private EmbeddedDatabase() {
    }

    /** @return the running server (test-support's JVM-shared one), started on first call */
    public static EmbeddedPostgres server() {
        return EmbeddedPostgresServer.shared();
    }

    /**
     * @param applicationName the application name the app's connections carry
     * @param password        a password to put in the URL (the embedded server trusts every local login)
     * @return an R2DBC URL of the driver for the embedded server
     */
    public static String url(String applicationName, String password) {
        return "r2dbc:postgresql://postgres" + (password != null ? ":" + password : "") + "@127.0.0.1:"
                + server().getPort() + "/postgres?applicationName=" + applicationName;
    }

    /** @return how many sessions the server has for {@code applicationName} */
    public static int sessions(String applicationName) {
        return states(applicationName).size();
    }

    /** @return the state of each session of {@code applicationName} (idle, active, idle in transaction, ...) */
    public static List<String> states(String applicationName) {
        try (Connection connection = server().getPostgresDatabase().getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT coalesce(state, 'none') FROM pg_stat_activity WHERE application_name = ?")) {
            statement.setString(1, applicationName);
            List<String> states = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    states.add(rows.getString(1));
                }
            }
            return states;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs one statement (DDL, clean-up) outside the application. */
    public static void execute(String sql) {
        try (Connection connection = server().getPostgresDatabase().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the single long value of a query run outside the application */
    public static long queryLong(String sql) {
        try (Connection connection = server().getPostgresDatabase().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
