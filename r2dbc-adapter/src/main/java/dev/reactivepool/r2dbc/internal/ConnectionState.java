package dev.reactivepool.r2dbc.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.Wrapped;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The pooled object: one driver connection, the session state it had when it was opened, and
 * what its current borrower changed, so that the reset on return undoes exactly that.
 *
 * <p>Only one borrower uses a connection at a time and the pool's hand-off orders the borrowers,
 * so the flags need visibility (volatile) but no compare-and-set: a flag is raised when the user
 * subscribes to an operation that may change the state, before its outcome is known, and cleared
 * by the reset once the state is restored.
 */
public final class ConnectionState {

    private final Connection connection;
    private final boolean initialAutoCommit;
    private final IsolationLevel initialIsolationLevel;
    /** The thread(s) doing the connection's I/O, as the driver exposes them, or null. */
    private final Scheduler ioScheduler;

    /** A transaction may have been opened through the SPI and not closed by a successful commit or rollback. */
    volatile boolean transactionStarted;
    /** The user called setAutoCommit. */
    volatile boolean autoCommitChanged;
    /** The user called setTransactionIsolationLevel. */
    volatile boolean isolationLevelChanged;
    /** The user called setStatementTimeout. */
    volatile boolean statementTimeoutChanged;
    /** The user called setLockWaitTimeout. */
    volatile boolean lockWaitTimeoutChanged;
    /**
     * An operation was cancelled before it finished: the server may still be executing it, so the
     * driver's view of the transaction status is only trustworthy after a round trip.
     */
    volatile boolean uncertain;
    /**
     * An operation failed with an error that says the connection itself is broken (connection
     * exception class 08, an administrator shutdown 57P0x, or a non-transient resource error):
     * the reset destroys such a connection instead of trusting its local state.
     */
    volatile boolean broken;
    /** Operations subscribed and not yet terminated. */
    final AtomicInteger inFlight = new AtomicInteger();
    /** Operations between the borrower's closed check and the return of the driver's subscribe. */
    final AtomicInteger entering = new AtomicInteger();
    /** The connection's I/O thread, once learnt (see ioExecutor); null before. */
    private volatile Thread ioThread;
    /** When the connection was last returned clean (or opened), from {@link System#nanoTime()}. */
    volatile long returnedAtNanos;

    ConnectionState(Connection connection, boolean initialAutoCommit, IsolationLevel initialIsolationLevel) {
        this.connection = connection;
        this.initialAutoCommit = initialAutoCommit;
        this.initialIsolationLevel = initialIsolationLevel;
        this.ioScheduler = ioSchedulerOf(connection);
        this.returnedAtNanos = System.nanoTime();
    }

    /**
     * The connection's I/O thread as a Scheduler, if the driver exposes it through
     * {@code Wrapped.unwrap(Scheduler.class)} (r2dbc-postgresql does) or {@code unwrap(Executor.class)}.
     */
    private static Scheduler ioSchedulerOf(Connection connection) {
        if (!(connection instanceof Wrapped<?> wrapped)) {
            return null;
        }
        try {
            Object scheduler = wrapped.unwrap(Scheduler.class);
            if (scheduler instanceof Scheduler s) {
                return s;
            }
            Object executor = wrapped.unwrap(Executor.class);
            if (executor instanceof Executor e) {
                return Schedulers.fromExecutor(e);
            }
        } catch (RuntimeException driverRefused) {
            // A driver that cannot tell: the connection is emitted where it is acquired.
        }
        return null;
    }

    /** @return the connection's I/O thread as a Scheduler, or null if the driver does not expose it */
    Scheduler ioScheduler() {
        return ioScheduler;
    }

    /**
     * The connection's I/O thread as an Executor, for the pool's {@code affinity}: the pool runs
     * one task on it to learn the thread. Null if the driver does not expose it.
     *
     * @param state a pooled connection
     * @return its I/O executor, or null
     */
    public static Executor ioExecutor(ConnectionState state) {
        Scheduler io = state.ioScheduler;
        // The pool's task also tells this connection its thread (see onIoThread).
        return io == null ? null : task -> io.schedule(() -> {
            state.ioThread = Thread.currentThread();
            task.run();
        });
    }

    /**
     * @return true if the caller runs on this connection's I/O thread, once known (learnt when the
     *         pool's affinity ran its task there)
     */
    boolean onIoThread() {
        return ioThread == Thread.currentThread();
    }

    /**
     * Captures the session state of a freshly opened connection (the SPI getters used here are
     * local reads in drivers, no round trip).
     *
     * @param connection a connection just opened by the driver
     * @return its state
     */
    public static ConnectionState capture(Connection connection) {
        return new ConnectionState(connection, connection.isAutoCommit(), connection.getTransactionIsolationLevel());
    }

    /** @return the driver connection */
    public Connection connection() {
        return connection;
    }

    boolean initialAutoCommit() {
        return initialAutoCommit;
    }

    IsolationLevel initialIsolationLevel() {
        return initialIsolationLevel;
    }

    /** @return true when the reset must first make a round trip to learn the real transaction status */
    boolean needsSynchronization() {
        return uncertain || inFlight.get() > 0;
    }

    /** Marks the connection clean after a successful reset. */
    void markClean() {
        transactionStarted = false;
        autoCommitChanged = false;
        isolationLevelChanged = false;
        statementTimeoutChanged = false;
        lockWaitTimeoutChanged = false;
        uncertain = false;
        returnedAtNanos = System.nanoTime();
    }

    /**
     * Notes the error of an operation; marks the connection broken if the error is about the
     * connection rather than the statement; points at the driver setting a transaction-pooling
     * proxy needs if the error says that one is in the way ({@link StatementCacheHint}).
     *
     * @param error the operation's error
     */
    void operationFailed(Throwable error) {
        StatementCacheHint.check(error);
        if (error instanceof R2dbcNonTransientResourceException) {
            broken = true;
        } else if (error instanceof R2dbcException r2dbc) {
            String sqlState = r2dbc.getSqlState();
            if (sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P0"))) {
                broken = true;
            }
        }
    }

    /**
     * Closes the driver connection; used as the pool's destroyer.
     *
     * <p>The close, once started, runs to its end even when the pool stops waiting for it
     * ({@code destroyTimeout} cancels the step): cancelling a driver's close half-way (for
     * example r2dbc-postgresql's, between sending Terminate and closing its channel) would leave
     * the socket, and the server session, open with nobody left to close them. The returned Mono
     * only observes the close; cancelling it does not cancel the close.
     *
     * @return a lazy close
     */
    public Mono<Void> destroy() {
        return Mono.defer(() -> {
            Sinks.Empty<Void> closed = Sinks.empty();
            Mono.from(connection.close()).subscribe(null, closed::tryEmitError, closed::tryEmitEmpty);
            return closed.asMono();
        });
    }
}
