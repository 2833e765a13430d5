package dev.reactivepool;

/**
 * Why the pool destroyed an object, as reported by {@link PoolListener#destroyed}.
 * New reasons may be added in later versions: treat an unknown one as "other".
 */
public enum DestroyReason {
    /** Idle longer than {@code idleTimeout}. */
    IDLE_TIMEOUT,
    /** Older than its lifetime ({@code maxLifetime} minus its jitter), found idle or on return. */
    LIFETIME,
    /** Returned after {@code maxUses} leases. */
    MAX_USES,
    /** Returned while {@code maxIdle} objects were already idle (the idle cap). */
    MAX_IDLE,
    /** Matched by the {@code evictionPredicate} option (or the predicate threw) while idle. */
    EVICTION_PREDICATE,
    /** Its holder called {@link Lease#invalidate()}. */
    INVALIDATED,
    /** The validator said false, failed or timed out. */
    VALIDATION_FAILED,
    /** The resetter failed or timed out on return. */
    RESET_FAILED,
    /** The pool was closed: idle objects at once, leased ones when returned. */
    CLOSED,
    /** Destroyed by {@code evictAll()}: idle objects at once, leased ones when returned. */
    EVICT_ALL,
    /** Destroyed by {@code resize()} lowering the bounds. */
    RESIZE
}
