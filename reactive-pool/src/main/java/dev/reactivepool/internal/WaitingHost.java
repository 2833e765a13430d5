package dev.reactivepool.internal;

import dev.reactivepool.PoolClosedException;

/**
 * What {@link Waiting} needs from its pool: the closed flag and its error, the pending count
 * (read, raised by CAS, lowered), an idle object, and the way back for one its borrower did not
 * take. Implemented by {@link DefaultPool}, which owns the pending count because the idle-hit
 * path reads it.
 *
 * @param <T> the type of the pooled objects
 */
interface WaitingHost<T> {

    /** Whether the pool is closed. */
    boolean isDisposed();

    /** The error of an acquire that the pool's close ends. */
    PoolClosedException closedException();

    /** The pending count, suspension's phantom waiter included. */
    int pendingCount();

    /** Raises the pending count from {@code seen} by one (CAS); false if it changed meanwhile. */
    boolean addPending(int seen);

    /** One fewer in the pending count. */
    void pendingLeft();

    /**
     * Takes an idle object (destroying the expired and the stale ones it meets), or null.
     *
     * @param fast the idle-hit path (may miss an offer in flight) rather than the drain loop
     */
    Slot<T> takeIdle(boolean fast);

    /** Puts back an object that was never handed to its user: to the oldest waiter, else idle. */
    void returnUnused(Slot<T> slot);
}
