package dev.reactivepool.internal;

/**
 * What {@link PoolStatus} reads from its pool to describe it: its limits and its current counts.
 * Implemented by {@link DefaultPool}. Each value is read on its own, so a description built from
 * them is a moment's view, not an atomic snapshot.
 */
interface StatusHost {

    /** The current maxSize (changed by resize). */
    int maxSize();

    /** The current maxIdle (changed by resize). */
    int maxIdle();

    /** Idle objects. */
    int idleSize();

    /** Waiting acquirers, without suspension's phantom waiter. */
    int waiting();

    /** Live objects: the permit count ({@code total}). */
    int liveObjects();
}
