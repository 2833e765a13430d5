package dev.reactivepool.internal;

import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What {@link Housekeeping} needs from its pool: the coarse clock it advances, a sweep of the idle
 * store and the idle places of the slots it evicts, and whether to stop or drain. Implemented by
 * {@link DefaultPool}.
 *
 * @param <T> the type of the pooled objects
 */
interface HousekeepingHost<T> {

    /** Whether the pool is closed. */
    boolean isDisposed();

    /** Whether acquirers (or suspension's phantom waiter) wait. */
    boolean hasWaiters();

    /** Runs the drain loop (see {@link DrainLoop#drain}). */
    void drain();

    /** Advances the coarse clock; housekeeping is its only writer. */
    void advanceCoarseClock(long nowMillis);

    /** The coarse clock (ms, timer scheduler). */
    long coarseNow();

    /**
     * One eviction pass over the idle store: each slot {@code mayLeave} matches is taken out and
     * given to {@code leave}, which owns it from then on (see {@link IdleStore#evict}).
     */
    void sweepIdle(Predicate<Slot<T>> mayLeave, Consumer<Slot<T>> leave);

    /** Gives back the idle place of a slot that took one. */
    void giveBackIdlePlace();
}
