package dev.reactivepool.r2dbc.internal;

import java.time.Duration;
import java.util.function.Supplier;

import dev.reactivepool.Lease;
import dev.reactivepool.Reclaimable;
import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionMetadata;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import io.r2dbc.spi.Wrapped;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * The connection a borrower sees: it delegates to the driver connection, records what the
 * borrower changes (for the reset on return), and dies when closed.
 *
 * <p>{@link #close()} returns the connection to the pool; it is idempotent. After it, every
 * method fails with an {@link R2dbcNonTransientResourceException} saying the connection was
 * returned to the pool (publishers signal it, other methods throw it), except {@link #validate}
 * which emits {@code false} as the R2DBC specification requires of a closed connection, and
 * {@link #close()} which completes. Statements and batches created before the close fail too.
 *
 * <p>A handle that becomes unreachable while open (Reactor lost it between {@code create()} and
 * the borrower) returns its connection; see {@link HandleWatch}.
 */
public final class PooledConnection implements Connection, Wrapped<Connection>, Reclaimable {

    private final Lease<ConnectionState> lease;
    private final ConnectionState state;
    private final Connection delegate;
    private final String poolName;

    /** Open, escaped or closed; also this handle's cleaner action (see HandleWatch). */
    private final HandleWatch watch;

    /**
     * @param lease    the lease this connection stands for
     * @param poolName the pool's name, for error messages
     */
    public PooledConnection(Lease<ConnectionState> lease, String poolName) {
        this.lease = lease;
        this.state = lease.get();
        this.delegate = state.connection();
        this.poolName = poolName;
        this.watch = new HandleWatch(lease, poolName);
        watch.watch(this);
    }

    boolean isClosed() {
        return watch.isClosed();
    }

    R2dbcNonTransientResourceException returnedToPool() {
        return new R2dbcNonTransientResourceException("This connection was returned to the pool '" + poolName
                + "' by close(); it can no longer be used. Obtain a new connection from the ConnectionFactory.");
    }

    private void checkOpen() {
        if (watch.isClosed()) {
            throw returnedToPool();
        }
    }

    /**
     * Runs a state-changing operation of the driver. The driver method is called at once, so that
     * its argument checks throw synchronously as the SPI specifies; its publisher is refused if
     * subscribed after close, counted while in flight and flagged as uncertain if cancelled
     * (see {@link TrackedOperation}).
     */
    private Mono<Void> tracked(Runnable beforeSubscribe, Supplier<Publisher<Void>> operation, Runnable onSuccess) {
        if (watch.isClosed()) {
            return Mono.error(returnedToPool());
        }
        Publisher<Void> publisher = operation.get();
        return Mono.from(new TrackedOperation<Void>(this, publisher, beforeSubscribe, onSuccess, false));
    }

    private static void nothing() {
    }

    @Override
    public Mono<Void> beginTransaction() {
        return tracked(() -> state.transactionStarted = true, delegate::beginTransaction, PooledConnection::nothing);
    }

    @Override
    public Mono<Void> beginTransaction(TransactionDefinition definition) {
        return tracked(() -> state.transactionStarted = true, () -> delegate.beginTransaction(definition),
                PooledConnection::nothing);
    }

    @Override
    public Mono<Void> commitTransaction() {
        return tracked(PooledConnection::nothing, delegate::commitTransaction, () -> state.transactionStarted = false);
    }

    @Override
    public Mono<Void> rollbackTransaction() {
        return tracked(PooledConnection::nothing, delegate::rollbackTransaction,
                () -> state.transactionStarted = false);
    }

    @Override
    public Mono<Void> createSavepoint(String name) {
        // Creating a savepoint opens a transaction when none is open.
        return tracked(() -> state.transactionStarted = true, () -> delegate.createSavepoint(name),
                PooledConnection::nothing);
    }

    @Override
    public Mono<Void> releaseSavepoint(String name) {
        return tracked(PooledConnection::nothing, () -> delegate.releaseSavepoint(name), PooledConnection::nothing);
    }

    @Override
    public Mono<Void> rollbackTransactionToSavepoint(String name) {
        return tracked(PooledConnection::nothing, () -> delegate.rollbackTransactionToSavepoint(name),
                PooledConnection::nothing);
    }

    @Override
    public Mono<Void> setAutoCommit(boolean autoCommit) {
        return tracked(() -> {
            state.autoCommitChanged = true;
            if (!autoCommit) {
                state.transactionStarted = true;
            }
        }, () -> delegate.setAutoCommit(autoCommit), PooledConnection::nothing);
    }

    @Override
    public Mono<Void> setTransactionIsolationLevel(IsolationLevel isolationLevel) {
        return tracked(() -> state.isolationLevelChanged = true,
                () -> delegate.setTransactionIsolationLevel(isolationLevel), PooledConnection::nothing);
    }

    @Override
    public Mono<Void> setStatementTimeout(Duration timeout) {
        return tracked(() -> state.statementTimeoutChanged = true, () -> delegate.setStatementTimeout(timeout),
                PooledConnection::nothing);
    }

    @Override
    public Mono<Void> setLockWaitTimeout(Duration timeout) {
        return tracked(() -> state.lockWaitTimeoutChanged = true, () -> delegate.setLockWaitTimeout(timeout),
                PooledConnection::nothing);
    }

    @Override
    public Batch createBatch() {
        checkOpen();
        return new PooledBatch(this, delegate.createBatch());
    }

    @Override
    public Statement createStatement(String sql) {
        checkOpen();
        return new PooledStatement(this, delegate.createStatement(sql));
    }

    @Override
    public boolean isAutoCommit() {
        checkOpen();
        return delegate.isAutoCommit();
    }

    @Override
    public ConnectionMetadata getMetadata() {
        checkOpen();
        return delegate.getMetadata();
    }

    @Override
    public IsolationLevel getTransactionIsolationLevel() {
        checkOpen();
        return delegate.getTransactionIsolationLevel();
    }

    @Override
    public Mono<Boolean> validate(ValidationDepth depth) {
        return Mono.defer(() -> watch.isClosed() ? Mono.just(false) : Mono.from(delegate.validate(depth)));
    }

    /**
     * Returns the connection to the pool, when subscribed; later subscriptions (and calls on
     * other instances of this handle) complete at once. The pool then rolls back, restores and
     * resets the connection, or closes it if that fails.
     */
    @Override
    public Mono<Void> close() {
        return new ReturnToPool();
    }

    /** {@link #close()}'s lazy return: one object per call, where {@code Mono.defer} and its lambda are two. */
    private final class ReturnToPool extends Mono<Void> {
        @Override
        public void subscribe(CoreSubscriber<? super Void> actual) {
            if (watch.close()) {
                lease.release().subscribe(actual);
            } else {
                Operators.complete(actual);
            }
        }
    }

    /**
     * Returns the connection to the pool without its borrower: the subscription of
     * {@code create()} was abandoned after this connection was emitted, or Reactor dropped it
     * (see {@link dev.reactivepool.DroppedLeases}). The handle dies at once, as on
     * {@link #close()}; the pool then awaits running operations and resets or destroys the
     * connection. Idempotent with {@code close()}: the first of the two returns it.
     */
    @Override
    public void reclaim() {
        if (watch.close()) {
            watch.reclaimLease(); // counted by the pool as reclaimed
        }
    }

    /**
     * @return the driver's connection
     * @throws R2dbcNonTransientResourceException once this connection was returned to the pool
     */
    @Override
    public Connection unwrap() {
        checkOpen();
        watch.escaped(); // the driver's connection may now be held elsewhere: never reclaimed when lost
        return delegate;
    }

    @Override
    public String toString() {
        return "PooledConnection{pool=" + poolName + ", returned=" + (watch.isClosed()) + ", delegate="
                + delegate.getClass().getName() + "}";
    }

    /**
     * Runs a statement or batch execution of the driver. The driver's {@code execute()} is called
     * at once (drivers throw there for incomplete bindings, as the SPI specifies), and only while
     * this connection is open; the publisher is refused if subscribed after close, counted while
     * in flight and flagged as uncertain if cancelled. Its results are wrapped so that their
     * consumption is tracked too.
     */
    Flux<io.r2dbc.spi.Result> executeStatement(Statement statement) {
        if (watch.isClosed()) {
            return Flux.error(returnedToPool());
        }
        return new TrackedOperation<>(this, statement.execute(), PooledConnection::nothing, PooledConnection::nothing,
                true);
    }

    /** Like {@link #executeStatement(Statement)}, for a batch. */
    Flux<io.r2dbc.spi.Result> executeBatch(Batch batch) {
        if (watch.isClosed()) {
            return Flux.error(returnedToPool());
        }
        return new TrackedOperation<>(this, batch.execute(), PooledConnection::nothing, PooledConnection::nothing,
                true);
    }

    /**
     * Tracks the consumption of a result: the caller called the driver's method only after
     * {@link #isClosed()} said open (a method reference or lambda per call would be one more
     * allocation per result); the publisher is refused if subscribed after close, counted while in
     * flight and flagged as uncertain if cancelled.
     */
    <R> Flux<R> trackConsumption(Publisher<? extends R> consumption) {
        return new TrackedOperation<>(this, consumption, PooledConnection::nothing, PooledConnection::nothing, false);
    }

    /** A driver object reaching the connection was handed out: a lost handle is then only reported. */
    void escaped() {
        watch.escaped();
    }

    ConnectionState state() {
        return state;
    }

    void checkUsable() {
        checkOpen();
    }
}
