package dev.reactivepool.samples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The database the demo talks to: an embedded PostgreSQL started from the binaries that
 * io.zonky.test ships through Maven Central, or an external one given by an R2DBC URL.
 */
public final class DemoDatabase implements AutoCloseable {

    private final EmbeddedPostgres embedded;
    private final ConnectionFactoryOptions options;
    private final String description;

    private DemoDatabase(EmbeddedPostgres embedded, ConnectionFactoryOptions options, String description) {
        this.embedded = embedded;
        this.options = options;
        this.description = description;
    }

    /**
     * Starts an embedded PostgreSQL on 127.0.0.1 and a free port. Blocks for a few seconds (the
     * first time, the binaries are unpacked): call it from the main thread.
     *
     * @param maxConnections the server's connection limit
     * @return the running database
     */
    public static DemoDatabase embedded(int maxConnections) {
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", String.valueOf(maxConnections))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
        ConnectionFactoryOptions options = ConnectionFactoryOptions.builder()
                .option(ConnectionFactoryOptions.DRIVER, "postgresql")
                .option(ConnectionFactoryOptions.HOST, "127.0.0.1")
                .option(ConnectionFactoryOptions.PORT, postgres.getPort())
                .option(ConnectionFactoryOptions.USER, "postgres")
                .option(ConnectionFactoryOptions.DATABASE, "postgres")
                .option(ConnectionFactoryOptions.CONNECT_TIMEOUT, Duration.ofSeconds(10))
                .build();
        return new DemoDatabase(postgres, options,
                "embedded PostgreSQL on 127.0.0.1:" + postgres.getPort() + " (io.zonky.test)");
    }

    /**
     * Uses an external database.
     *
     * @param r2dbcUrl the database's own R2DBC URL, like {@code r2dbc:postgresql://user:secret@host:5432/db}
     * @return the database
     * @throws UsageException if the URL cannot be parsed (the message does not repeat it: it may hold a password)
     */
    public static DemoDatabase external(String r2dbcUrl) {
        ConnectionFactoryOptions options;
        try {
            options = ConnectionFactoryOptions.parse(r2dbcUrl);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--r2dbc-url is not a valid R2DBC URL (expected r2dbc:driver://user@host:port/database)");
        }
        Object host = options.getValue(ConnectionFactoryOptions.HOST);
        Object port = options.getValue(ConnectionFactoryOptions.PORT);
        Object database = options.getValue(ConnectionFactoryOptions.DATABASE);
        Object driver = options.getValue(ConnectionFactoryOptions.DRIVER);
        // Host, port and database only: the user's password stays out of the output.
        return new DemoDatabase(null, options, "external " + driver + " database " + database + " on " + host
                + (port == null ? "" : ":" + port));
    }

    /**
     * A new driver factory: every {@code create()} opens a real connection.
     *
     * @return the driver's connection factory
     * @throws UsageException if no R2DBC driver on the class path accepts the options
     */
    public ConnectionFactory driver() {
        try {
            return ConnectionFactories.get(options);
        } catch (IllegalStateException e) {
            throw new UsageException("--r2dbc-url: no R2DBC driver found for driver '"
                    + options.getValue(ConnectionFactoryOptions.DRIVER) + "' (this demo ships r2dbc-postgresql)");
        }
    }

    /** @return the database's port, or -1 if the URL gave none */
    public int port() {
        Object port = options.getValue(ConnectionFactoryOptions.PORT);
        return port == null ? -1 : Integer.parseInt(port.toString());
    }

    /** @return where the database is, without credentials */
    public String description() {
        return description;
    }

    /** Stops the embedded database, if this is one (main thread only). */
    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException("could not stop the embedded PostgreSQL", e);
            }
        }
    }
}
