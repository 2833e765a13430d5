package dev.reactivepool.internal;

import dev.reactivepool.PoolClosedException;
import reactor.core.CoreSubscriber;

/**
 * What the {@link DrainLoop} needs from its pool: the closed flag and its error, idle objects to
 * give to waiters, the idle offer for released objects nobody waits for, destruction once closed,
 * and the close's completion. Implemented by {@link DefaultPool}.
 *
 * @param <T> the type of the pooled objects
 */
interface DrainHost<T> {

    /** Whether the pool is closed. */
    boolean isDisposed();

    /** The error of an acquire that the pool's close ends. */
    PoolClosedException closedException();

    /**
     * Takes an idle object (destroying the expired and the stale ones it meets), or null.
     *
     * @param fast the idle-hit path (may miss an offer in flight) rather than the drain loop
     */
    Slot<T> takeIdle(boolean fast);

    /** Offers an object nobody waits for to the idle store (or destroys it under the idle cap). */
    void toIdle(Slot<T> slot, CoreSubscriber<? super Void> done);

    /** Destroys the object; frees its permit and completes {@code done} (if not null) after. */
    void destroy(Slot<T> slot, CoreSubscriber<? super Void> done);

    /** Completes the close if it is under way and no object is left. */
    void checkCloseDone();
}
