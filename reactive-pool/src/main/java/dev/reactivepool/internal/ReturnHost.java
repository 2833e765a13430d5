package dev.reactivepool.internal;

import reactor.core.CoreSubscriber;

/**
 * What the {@link ReturnPath} needs from its pool: the closed flag, the clocks, whether anyone
 * waits, the idle offer, and the permit counter to decrement once an object is gone. Implemented
 * by {@link DefaultPool}, the only implementation, so that every call from the return path (on
 * the release path) stays monomorphic.
 *
 * @param <T> the type of the pooled objects
 */
interface ReturnHost<T> {

    /** Whether the pool is closed. */
    boolean isDisposed();

    /** The coarse clock (ms, timer scheduler), advanced by housekeeping. */
    long coarseNow();

    /** The pool's clock in ns (so a virtual-time scheduler drives the skip-validation window). */
    long timerNanos();

    /** Whether acquirers (or suspension's phantom waiter) wait. */
    boolean hasWaiters();

    /** Offers an object nobody waits for to the idle store (or destroys it under the idle cap). */
    void toIdle(Slot<T> slot, CoreSubscriber<? super Void> done);

    /** An object's destroyer ended: its permit ({@code total}) is freed. */
    void permitFreed();

    /** Completes the close if it is under way and no object is left (see {@link PoolClose#checkDone}). */
    void checkCloseDone();

    /** Runs the drain loop (see {@link DrainLoop#drain}). */
    void drain();
}
