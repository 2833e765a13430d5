package dev.reactivepool.internal;

import java.time.Duration;

import dev.reactivepool.AcquireTimeoutException;
import dev.reactivepool.PoolClosedException;
import dev.reactivepool.PoolExhaustedException;
import dev.reactivepool.PoolFigures;
import dev.reactivepool.PoolMetrics;

/**
 * What the pool says about itself: the {@link PoolMetrics} snapshot, the {@link PoolFigures} in
 * its errors (closed, acquire timeout, pending limit), and its {@code toString}. It holds no state
 * of its own; it reads the counters ({@link PoolCounters}), creation's in-flight count, the shared
 * leases' object count and the pool's figures ({@link StatusHost}), each once, without a lock.
 *
 * @param <T> the type of the pooled objects
 */
final class PoolStatus<T> {

    private final StatusHost pool;
    private final String name;
    private final PoolCounters counters;
    private final CreationControl<T> creation;
    /** Null unless maxLeasesPerObject > 1. */
    private final SharedLeases<T> shared;

    PoolStatus(StatusHost pool, String name, PoolCounters counters, CreationControl<T> creation,
               SharedLeases<T> shared) {
        this.pool = pool;
        this.name = name;
        this.counters = counters;
        this.creation = creation;
        this.shared = shared;
    }

    /** {@code Pool.metrics()}. */
    PoolMetrics metrics() {
        return counters.snapshot(name, pool.maxSize(), pool.maxIdle(), pool.idleSize(), pool.waiting(),
                creation.creating(), pool.liveObjects(), shared == null ? -1 : shared.objectsLeased());
    }

    /** The error of an acquire that the pool's close ends. */
    PoolClosedException closedException() {
        return new PoolClosedException(name, figures(pool.waiting()));
    }

    /** Counts an acquire timeout and gives its error (with the creation failure, if creation is failing). */
    AcquireTimeoutException acquireTimedOut(Duration timeout) {
        counters.acquireTimeouts.increment();
        return new AcquireTimeoutException(name, timeout, figures(pool.waiting()), creation.currentFailure());
    }

    /**
     * The error of an acquire refused at the pending limit.
     *
     * @param pending the waiters counted when the limit was reached
     */
    PoolExhaustedException exhausted(int maxPending, int pending) {
        return new PoolExhaustedException(name, maxPending, figures(pending));
    }

    private PoolFigures figures(int pending) {
        return new PoolFigures(pool.maxSize(), counters.leased(), pool.idleSize(), pending, creation.creating());
    }

    @Override
    public String toString() {
        return "Pool[" + name + ", maxSize=" + pool.maxSize() + ", total=" + pool.liveObjects() + ", idle="
                + pool.idleSize() + ", leased=" + counters.leased() + ", pending=" + pool.waiting() + "]";
    }
}
