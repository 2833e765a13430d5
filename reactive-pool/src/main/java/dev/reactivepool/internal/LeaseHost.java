package dev.reactivepool.internal;

import java.time.Duration;

import dev.reactivepool.AcquireTimeoutException;
import reactor.core.CoreSubscriber;
import reactor.core.scheduler.Scheduler;

/**
 * What a lease needs from its pool ({@link Slot#pool}): {@link PooledLease} to emit, time out and
 * end itself, {@link InvalidateMono} to destroy, {@link LostLeaseWatch} to report a lost lease.
 * Implemented by {@link DefaultPool}.
 *
 * @param <T> the type of the pooled objects
 */
interface LeaseHost<T> {

    /** The pool's name, for messages. */
    String name();

    /** The scheduler of timeouts. */
    Scheduler timerScheduler();

    /** True if leases are emitted on the thread that makes them available (no deliveryScheduler). */
    boolean deliversInPlace();

    /** Emits on the delivery scheduler; if it refuses, on the current thread rather than never. */
    void deliverLater(Runnable emission);

    /** Bookkeeping when a lease is handed to its user, on the emitting thread, owner of the slot. */
    void onLeaseStart(Slot<T> slot, PooledLease<T> lease);

    /** Puts back an object that was never handed to its user: to the oldest waiter, else idle. */
    void returnUnused(Slot<T> slot);

    /** Counts an acquire timeout and gives its error. */
    AcquireTimeoutException acquireTimedOut(Duration timeout);

    /** A lease ends by release: reset, then return or destroy; {@code done} completes after. */
    void release(Slot<T> slot, CoreSubscriber<? super Void> done);

    /** A lease ends by invalidation: the object is destroyed, then {@code done} completes. */
    void invalidate(Slot<T> slot, CoreSubscriber<? super Void> done);

    /** A lease dropped by Reactor after emission was handed back. */
    void onReclaimed();

    /** A lease became unreachable while leased (see {@link LostLeaseWatch}). */
    void onLostLease(Slot<?> lost, boolean neverDereferenced);
}
