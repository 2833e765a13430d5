package dev.reactivepool.samples;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionMetadata;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import io.r2dbc.spi.Wrapped;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * A real connection opened through {@link CountingConnectionFactory}: every call goes to the
 * driver's connection; the first {@link #close()} is counted as the connection closing.
 */
final class CountedConnection implements Connection, Wrapped<Connection> {

    private final Connection delegate;
    private final ConnectionCounter counter;
    private final AtomicBoolean closed = new AtomicBoolean();

    CountedConnection(Connection delegate, ConnectionCounter counter) {
        this.delegate = delegate;
        this.counter = counter;
    }

    @Override
    public Publisher<Void> close() {
        // Counted when the close is subscribed, once, whether or not the driver's close succeeds:
        // after a failed close the connection is gone for its user anyway.
        return Mono.defer(() -> {
            if (closed.compareAndSet(false, true)) {
                counter.closed();
            }
            return Mono.from(delegate.close());
        });
    }

    @Override
    public Publisher<Void> beginTransaction() {
        return delegate.beginTransaction();
    }

    @Override
    public Publisher<Void> beginTransaction(TransactionDefinition definition) {
        return delegate.beginTransaction(definition);
    }

    @Override
    public Publisher<Void> commitTransaction() {
        return delegate.commitTransaction();
    }

    @Override
    public Batch createBatch() {
        return delegate.createBatch();
    }

    @Override
    public Publisher<Void> createSavepoint(String name) {
        return delegate.createSavepoint(name);
    }

    @Override
    public Statement createStatement(String sql) {
        return delegate.createStatement(sql);
    }

    @Override
    public boolean isAutoCommit() {
        return delegate.isAutoCommit();
    }

    @Override
    public ConnectionMetadata getMetadata() {
        return delegate.getMetadata();
    }

    @Override
    public IsolationLevel getTransactionIsolationLevel() {
        return delegate.getTransactionIsolationLevel();
    }

    @Override
    public Publisher<Void> releaseSavepoint(String name) {
        return delegate.releaseSavepoint(name);
    }

    @Override
    public Publisher<Void> rollbackTransaction() {
        return delegate.rollbackTransaction();
    }

    @Override
    public Publisher<Void> rollbackTransactionToSavepoint(String name) {
        return delegate.rollbackTransactionToSavepoint(name);
    }

    @Override
    public Publisher<Void> setAutoCommit(boolean autoCommit) {
        return delegate.setAutoCommit(autoCommit);
    }

    @Override
    public Publisher<Void> setLockWaitTimeout(Duration timeout) {
        return delegate.setLockWaitTimeout(timeout);
    }

    @Override
    public Publisher<Void> setStatementTimeout(Duration timeout) {
        return delegate.setStatementTimeout(timeout);
    }

    @Override
    public Publisher<Void> setTransactionIsolationLevel(IsolationLevel isolationLevel) {
        return delegate.setTransactionIsolationLevel(isolationLevel);
    }

    @Override
    public Publisher<Boolean> validate(ValidationDepth depth) {
        return delegate.validate(depth);
    }

    @Override
    public Connection unwrap() {
        return delegate;
    }

    @Override
    public String toString() {
        return "CountedConnection{" + delegate + "}";
    }
}
