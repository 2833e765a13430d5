package dev.reactivepool.internal;

/**
 * What {@link PoolClose} needs from its pool: the one-time closed flag, the live count that must
 * fall to zero before the close completes, and the drain that empties the queues. Implemented by
 * {@link DefaultPool}.
 */
interface CloseHost {

    /** Sets the pool's closed flag (CAS 0 → 1); true only for the call that set it. */
    boolean markClosed();

    /** Whether the pool is closed. */
    boolean isDisposed();

    /** Live objects: the permit count ({@code total}). */
    int liveObjects();

    /** Runs the drain loop, which fails the waiters and destroys idle objects once closed. */
    void drain();
}
