package dev.reactivepool.r2dbc.internal;

import java.time.Duration;
import java.util.Objects;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.ValidationDepth;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The pool's resetter: brings a returned connection back to the state it was opened in, or fails
 * so that the pool destroys it. Steps, each only when needed:
 * <ol>
 *   <li>wait until no operation of the borrower is still being handed to the driver (a borrower
 *       thread may have passed the closed check just before another thread closed);</li>
 *   <li>the driver's local check: a closed connection is not worth resetting;</li>
 *   <li>if an operation was cancelled or is still running, a round trip ({@code validate(REMOTE)})
 *       as a barrier: drivers execute commands in order, so after it the driver's view of the
 *       transaction status includes everything the borrower sent (its result is irrelevant: in an
 *       aborted transaction the check fails, and the rollback below repairs that);</li>
 *   <li>rollback if a transaction may be open;</li>
 *   <li>auto-commit, isolation level, statement timeout and lock-wait timeout restored if changed;</li>
 *   <li>the reset query, if configured;</li>
 *   <li>a final check that no transaction is open.</li>
 * </ol>
 * The pool bounds the whole reset with its reset timeout.
 */
public final class ConnectionResetter {

    /**
     * Signals, inside the reset only, that an operation of the borrower is still being handed to
     * the driver; that window lasts microseconds, so the reset retries every millisecond.
     */
    private static final R2dbcNonTransientResourceException STILL_ENTERING =
            new R2dbcNonTransientResourceException("an operation is still being subscribed");

    private final ConnectionPolicy policy;

    /**
     * @param policy the adapter's settings
     */
    public ConnectionResetter(ConnectionPolicy policy) {
        this.policy = policy;
    }

    /**
     * @param state the returned connection
     * @return a lazy reset that fails if the connection cannot be made clean
     */
    public Mono<Void> reset(ConnectionState state) {
        Connection connection = state.connection();
        if (isUntouched(state, connection)) {
            // The common case: the borrower ran statements in auto-commit mode and changed nothing.
            // A constant empty Mono lets the pool return the connection at once, with no operator,
            // subscription or timer; the next acquire still validates it (validate(LOCAL) at least).
            state.markClean();
            return Mono.empty();
        }
        return Mono.defer(() -> state.entering.get() == 0 ? Mono.<Void>empty() : Mono.error(STILL_ENTERING))
                .retryWhen(Retry.fixedDelay(1000, Duration.ofMillis(1)).filter(e -> e == STILL_ENTERING))
                .then(Mono.defer(() -> state.broken
                        ? Mono.<Void>error(failure("an operation failed with a connection error"))
                        : Mono.<Void>empty()))
                .then(Mono.from(connection.validate(ValidationDepth.LOCAL)))
                .defaultIfEmpty(false)
                .flatMap(alive -> alive ? Mono.<Void>empty() : Mono.error(failure("the connection is closed")))
                .then(Mono.defer(() -> state.needsSynchronization()
                        ? Mono.from(connection.validate(ValidationDepth.REMOTE)).then()
                        : Mono.empty()))
                .then(Mono.defer(() -> state.transactionStarted || !connection.isAutoCommit()
                        ? Mono.from(connection.rollbackTransaction())
                        : Mono.empty()))
                .then(Mono.defer(() -> state.autoCommitChanged || connection.isAutoCommit() != state.initialAutoCommit()
                        ? Mono.from(connection.setAutoCommit(state.initialAutoCommit()))
                        : Mono.empty()))
                .then(Mono.defer(() -> restoreIsolationLevel(state, connection)))
                .then(Mono.defer(() -> state.statementTimeoutChanged
                        ? Mono.from(connection.setStatementTimeout(policy.defaultStatementTimeout()))
                        : Mono.empty()))
                .then(Mono.defer(() -> state.lockWaitTimeoutChanged
                        ? Mono.from(connection.setLockWaitTimeout(policy.defaultLockWaitTimeout()))
                        : Mono.empty()))
                .then(Mono.defer(() -> runResetQuery(connection)))
                .then(Mono.defer(() -> {
                    if (connection.isAutoCommit() != state.initialAutoCommit()) {
                        return Mono.error(failure("the transaction state could not be restored"));
                    }
                    state.markClean();
                    return Mono.empty();
                }));
    }

    /**
     * Whether the borrower left nothing to undo: nothing running or cut short, no connection error,
     * no transaction, no setting changed, and no reset query configured. Reads only local state.
     */
    private boolean isUntouched(ConnectionState state, Connection connection) {
        IsolationLevel initialIsolation = state.initialIsolationLevel();
        return policy.resetQuery() == null
                && state.entering.get() == 0
                && !state.broken
                && !state.needsSynchronization()
                && !state.transactionStarted
                && !state.autoCommitChanged
                && !state.isolationLevelChanged
                && !state.statementTimeoutChanged
                && !state.lockWaitTimeoutChanged
                && connection.isAutoCommit() == state.initialAutoCommit()
                && (initialIsolation == null || Objects.equals(connection.getTransactionIsolationLevel(), initialIsolation));
    }

    private static Mono<Void> restoreIsolationLevel(ConnectionState state, Connection connection) {
        IsolationLevel initial = state.initialIsolationLevel();
        if (initial == null) {
            return Mono.empty();
        }
        if (state.isolationLevelChanged || !Objects.equals(connection.getTransactionIsolationLevel(), initial)) {
            return Mono.from(connection.setTransactionIsolationLevel(initial));
        }
        return Mono.empty();
    }

    private Mono<Void> runResetQuery(Connection connection) {
        if (policy.resetQuery() == null) {
            return Mono.empty();
        }
        return Flux.from(connection.createStatement(policy.resetQuery()).execute())
                .concatMap(result -> result.map((row, metadata) -> Boolean.TRUE))
                .then();
    }

    private static R2dbcNonTransientResourceException failure(String what) {
        return new R2dbcNonTransientResourceException("Cannot return the connection to the pool: " + what);
    }
}
