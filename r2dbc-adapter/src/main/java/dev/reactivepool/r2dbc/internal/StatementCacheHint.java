package dev.reactivepool.r2dbc.internal;

import java.util.concurrent.atomic.AtomicBoolean;

import io.r2dbc.spi.R2dbcException;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Recognises the error that r2dbc-postgresql's prepared-statement cache causes behind a
 * transaction-pooling proxy, and says once per JVM, at WARN, which driver setting avoids it.
 *
 * <p>The driver names the prepared statements of each connection {@code S_0}, {@code S_1}, ...
 * Behind PgBouncer in transaction mode (before 1.21, or without {@code max_prepared_statements})
 * consecutive statements of one connection may run on different server sessions, so one client's
 * {@code S_0} meets another's ({@code 42P05 prepared statement "S_0" already exists}) or is missing
 * ({@code 26000 prepared statement "S_0" does not exist}). A direct connection never shows either for
 * the driver's own statement names, so the pair is a reliable sign of the proxy. Only reads the
 * error; the error itself reaches the caller unchanged.
 */
public final class StatementCacheHint {

    private static final Logger LOG = Loggers.getLogger(StatementCacheHint.class);

    /** The advice logged once. */
    static final String ADVICE = "r2dbc-postgresql's prepared statements collide on the server: the connections "
            + "seem to go through a transaction-pooling proxy (PgBouncer in transaction mode), where consecutive "
            + "statements of one connection run on different server sessions. Set the driver option "
            + "preparedStatementCacheQueries=0 (unnamed statements), or use a proxy that tracks prepared "
            + "statements (PgBouncer 1.21+ with max_prepared_statements). See docs/scaling-out.md.";

    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private StatementCacheHint() {
    }

    /**
     * @param error an operation's error
     * @return whether it is a collision of the driver's own statement names ({@code S_<n>})
     */
    static boolean isStatementNameCollision(Throwable error) {
        if (!(error instanceof R2dbcException r2dbc)) {
            return false;
        }
        String sqlState = r2dbc.getSqlState();
        String message = r2dbc.getMessage();
        return ("42P05".equals(sqlState) || "26000".equals(sqlState))
                && message != null && message.contains("prepared statement \"S_");
    }

    /**
     * Logs {@link #ADVICE} the first time it sees such a collision in this JVM.
     *
     * @param error an operation's error
     */
    static void check(Throwable error) {
        if (isStatementNameCollision(error) && WARNED.compareAndSet(false, true)) {
            LOG.warn(ADVICE + " First error: " + error.getMessage());
        }
    }

    /** @return whether the advice has been logged in this JVM */
    public static boolean logged() {
        return WARNED.get();
    }
}
