package dev.reactivepool.reliability;

import dev.reactivepool.testsupport.EmbeddedPostgresServer;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The JVM's shared embedded PostgreSQL (test-support's {@link EmbeddedPostgresServer}) on
 * 127.0.0.1, started on first use by a test thread and stopped at JVM exit. Also a JDBC observer
 * of the server's own view of connections, by application name; JDBC blocks, so it is only
 * called from test threads.
 */
final class EmbeddedPg {

    private EmbeddedPg() {
    }

    /** @return the JVM's shared server, started on first call */
    static EmbeddedPostgres get() {
        return EmbeddedPostgresServer.shared();
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
        return EmbeddedPostgresServer.backends(get(), applicationName);
    }
}
