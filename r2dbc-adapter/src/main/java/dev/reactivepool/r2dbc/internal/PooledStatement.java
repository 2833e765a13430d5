package dev.reactivepool.r2dbc.internal;

import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.Wrapped;
import reactor.core.publisher.Flux;

/**
 * A statement of a {@link PooledConnection}: it fails once its connection was returned to the
 * pool, and its executions are tracked so that the reset knows when one was cancelled midway.
 */
final class PooledStatement implements Statement, Wrapped<Statement> {

    private final PooledConnection owner;
    private final Statement delegate;

    PooledStatement(PooledConnection owner, Statement delegate) {
        this.owner = owner;
        this.delegate = delegate;
    }

    @Override
    public Statement add() {
        owner.checkUsable();
        delegate.add();
        return this;
    }

    @Override
    public Statement bind(int index, Object value) {
        owner.checkUsable();
        delegate.bind(index, value);
        return this;
    }

    @Override
    public Statement bind(String name, Object value) {
        owner.checkUsable();
        delegate.bind(name, value);
        return this;
    }

    @Override
    public Statement bindNull(int index, Class<?> type) {
        owner.checkUsable();
        delegate.bindNull(index, type);
        return this;
    }

    @Override
    public Statement bindNull(String name, Class<?> type) {
        owner.checkUsable();
        delegate.bindNull(name, type);
        return this;
    }

    @Override
    public Statement returnGeneratedValues(String... columns) {
        owner.checkUsable();
        delegate.returnGeneratedValues(columns);
        return this;
    }

    @Override
    public Statement fetchSize(int rows) {
        owner.checkUsable();
        delegate.fetchSize(rows);
        return this;
    }

    @Override
    public Flux<Result> execute() {
        return owner.executeStatement(delegate);
    }

    @Override
    public Statement unwrap() {
        owner.escaped(); // the driver's object reaches the connection: never reclaimed when lost
        return delegate;
    }
}
