package dev.reactivepool.scaleout;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded PostgreSQL shared by the test classes of the JVM that register this extension
 * (starting one costs seconds): started before the first class, closed when the JUnit run ends
 * (JUnit closes AutoCloseable values of the root store). Tests that stop the server start their own.
 */
final class SharedPostgres implements BeforeAllCallback {

    private static final String KEY = SharedPostgres.class.getName();

    private Postgres postgres;

    @Override
    public void beforeAll(ExtensionContext context) {
        // Every test here needs PgBouncer: without it, fail before spending seconds on PostgreSQL.
        PgBouncer.binary();
        postgres = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KEY, key -> Postgres.start(), Postgres.class);
    }

    /** @return the running server */
    Postgres get() {
        return postgres;
    }
}
