package dev.reactivepool.internal;

import dev.reactivepool.PoolClosedException;

/**
 * What {@link CreationControl} needs from its pool: the permit counter (taken before a creation,
 * given back when none was made), the closed flag, whether acquirers wait, the idle count for the
 * minIdle refill, and where a new object goes when its borrower left. Implemented by
 * {@link DefaultPool}, which owns the permit counter because destruction frees it too.
 *
 * @param <T> the type of the pooled objects
 */
interface CreationHost<T> {

    /** Whether the pool is closed. */
    boolean isDisposed();

    /** Whether acquirers (or suspension's phantom waiter) wait. */
    boolean hasWaiters();

    /** Runs the drain loop (see {@link DrainLoop#drain}). */
    void drain();

    /** Idle objects. */
    int idleSize();

    /** The current maxIdle: the minIdle refill never aims above it. */
    int maxIdle();

    /** Whether idle places are counted against maxIdle (maxIdle below maxSize). */
    boolean idleCapped();

    /** Idle places taken under the cap, objects briefly out of the idle store included. */
    int idlePlacesTaken();

    /** Takes a permit for an object about to be created (CAS, bounded by maxSize); false at maxSize. */
    boolean reservePermit();

    /** Gives back a permit whose object was not created, without follow-up. */
    void returnPermit();

    /** A permit was freed: ends a close, or serves the waiters, or refills to minIdle. */
    void afterPermitFreed();

    /** Completes the close if it is under way and no object is left. */
    void checkCloseDone();

    /** Puts back an object nobody took: to the oldest waiter, else idle. */
    void returnUnused(Slot<T> slot);

    /** The error of an acquire that the pool's close ends. */
    PoolClosedException closedException();
}
