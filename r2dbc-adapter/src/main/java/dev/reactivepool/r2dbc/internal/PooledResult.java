package dev.reactivepool.r2dbc.internal;

import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import io.r2dbc.spi.Wrapped;
import reactor.core.publisher.Flux;

/**
 * A result of a {@link PooledConnection}'s statement. Drivers may run the query only when the
 * result is consumed (r2dbc-postgresql does for bound statements), so the consumption is what
 * must be tracked: refused after close, counted while in flight, flagged as uncertain when
 * cancelled midway. The driver's method is called only while the connection is open.
 */
final class PooledResult implements Result, Wrapped<Result> {

    private final PooledConnection owner;
    private final Result delegate;

    PooledResult(PooledConnection owner, Result delegate) {
        this.owner = owner;
        this.delegate = delegate;
    }

    @Override
    public Flux<Long> getRowsUpdated() {
        return owner.isClosed() ? Flux.error(owner.returnedToPool()) : owner.trackConsumption(delegate.getRowsUpdated());
    }

    @Override
    public <T> Flux<T> map(BiFunction<Row, RowMetadata, ? extends T> mappingFunction) {
        return owner.isClosed() ? Flux.error(owner.returnedToPool()) : owner.trackConsumption(delegate.map(mappingFunction));
    }

    @Override
    public <T> Flux<T> map(Function<? super Readable, ? extends T> mappingFunction) {
        return owner.isClosed() ? Flux.error(owner.returnedToPool()) : owner.trackConsumption(delegate.map(mappingFunction));
    }

    @Override
    public Result filter(Predicate<Segment> filter) {
        return new PooledResult(owner, delegate.filter(filter));
    }

    @Override
    public <T> Flux<T> flatMap(Function<Segment, ? extends org.reactivestreams.Publisher<? extends T>> mappingFunction) {
        return owner.isClosed() ? Flux.error(owner.returnedToPool())
                : owner.trackConsumption(delegate.<T>flatMap(mappingFunction));
    }

    @Override
    public Result unwrap() {
        owner.escaped(); // the driver's object reaches the connection: never reclaimed when lost
        return delegate;
    }
}
