package dev.reactivepool.r2dbc.internal;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Wrapped;
import reactor.core.publisher.Flux;

/**
 * A batch of a {@link PooledConnection}: it fails once its connection was returned to the pool,
 * and its executions are tracked like those of statements.
 */
final class PooledBatch implements Batch, Wrapped<Batch> {

    private final PooledConnection owner;
    private final Batch delegate;

    PooledBatch(PooledConnection owner, Batch delegate) {
        this.owner = owner;
        this.delegate = delegate;
    }

    @Override
    public Batch add(String sql) {
        owner.checkUsable();
        delegate.add(sql);
        return this;
    }

    @Override
    public Flux<Result> execute() {
        return owner.executeBatch(delegate);
    }

    @Override
    public Batch unwrap() {
        owner.escaped(); // the driver's object reaches the connection: never reclaimed when lost
        return delegate;
    }
}
