package dev.reactivepool.r2dbc;

import java.io.IOException;

import dev.reactivepool.testsupport.EmbeddedPostgresServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded PostgreSQL (test-support's {@link EmbeddedPostgresServer}) shared by
 * every test class of the JVM that registers this extension: started on the test thread before
 * the first class, stopped when the JUnit run ends (JUnit closes AutoCloseable values of the root
 * store). Starting and stopping block, so they never
 * run on a Reactor thread.
 */
final class PostgresExtension implements BeforeAllCallback {

    private static final String KEY = PostgresExtension.class.getName();

    private EmbeddedPostgres server;

    @Override
    public void beforeAll(ExtensionContext context) {
        Holder holder = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KEY, key -> new Holder(start(0)), Holder.class);
        server = holder.server;
    }

    /** @return the running server */
    EmbeddedPostgres server() {
        return server;
    }

    /** @return the server's port on 127.0.0.1 */
    int port() {
        return server.getPort();
    }

    /**
     * Starts a server on 127.0.0.1.
     *
     * @param port the port, or 0 for a free one
     * @return the running server
     */
    static EmbeddedPostgres start(int port) {
        return EmbeddedPostgresServer.start(port);
    }

    /** Stops the shared server at the end of the run. */
    private record Holder(EmbeddedPostgres server) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
