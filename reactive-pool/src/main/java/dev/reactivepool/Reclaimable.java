package dev.reactivepool;

/**
 * An object that a pool handed out and that can go back to its pool without its holder: a
 * {@link Lease}, or an adapter's pooled object (the R2DBC adapter's pooled {@code Connection}).
 *
 * <p>Reactor may drop a value that was already emitted: a subscriber whose cancel raced the
 * delivery passes it to {@code Operators.onNextDropped}, and operators that queue or filter
 * values pass the ones they never deliver to {@code Operators.onDiscard}. Nobody holds such a
 * value, so {@link DroppedLeases} calls {@link #reclaim()} on it and the pool gets its object and
 * its permit back.
 *
 * <p>Applications do not normally implement this interface; it is public so that adapters in
 * other modules can take part.
 */
public interface Reclaimable {

    /**
     * Hands this object back to its pool, as if its holder had released it: a reset (if the pool
     * has one), then back to idle or to the next waiter, or destroyed if the pool is closed.
     * Idempotent (nothing happens if it was already released), non-blocking, and never throws.
     */
    void reclaim();
}
