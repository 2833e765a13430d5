package dev.reactivepool.internal;

import java.util.function.Consumer;
import java.util.function.Predicate;

import reactor.core.CoreSubscriber;

/**
 * What {@link Operations} needs from its pool to apply evictAll, resize and suspend/resume: the
 * pool's live count and limits (and a place to copy new limits to), the idle cap's places, a sweep
 * of the idle store, the destruction of an object, the phantom waiter of suspension, and the
 * follow-ups (drain, minIdle refill). Implemented by {@link DefaultPool}, the only implementation,
 * so that every call from {@link Operations} stays monomorphic.
 *
 * @param <T> the type of the pooled objects
 */
interface OperationsHost<T> {

    /** Live objects: the permit count ({@code total}). */
    int liveObjects();

    /** The current maxSize (changed by resize). */
    int maxSize();

    /** The current maxIdle (changed by resize). */
    int maxIdle();

    /** Whether idle places are counted against maxIdle (maxIdle below maxSize). */
    boolean idleCapped();

    /** Resize only: the pool's volatile copies of the latest limits. */
    void applyLimits(int maxSize, int maxIdle, int minIdle);

    /** Idle places taken (maintained only while the idle cap is on). */
    int idlePlacesTaken();

    /** Takes one idle place (CAS, bounded by maxIdle); false if none is left. */
    boolean takeIdlePlace();

    /** Gives back the idle place of a slot that took one. */
    void giveBackIdlePlace();

    /**
     * One eviction pass over the idle store: each slot {@code mayLeave} matches is taken out and
     * given to {@code leave}, which owns it from then on (see {@link IdleStore#evict}).
     */
    void sweepIdle(Predicate<Slot<T>> mayLeave, Consumer<Slot<T>> leave);

    /** Puts back a slot that a sweep took out but kept (its idle place, if any, already taken). */
    void putBack(Slot<T> slot);

    /** Destroys the object; frees its permit and completes {@code done} (if not null) after. */
    void destroy(Slot<T> slot, CoreSubscriber<? super Void> done);

    /** Suspension: one more in the pending count (the phantom waiter). */
    void addPhantomWaiter();

    /** Resume, or a suspend that found the pool suspended: the phantom waiter leaves. */
    void removePhantomWaiter();

    /** Whether acquirers (or the phantom waiter) wait. */
    boolean hasWaiters();

    /** Runs the drain loop (see {@link DrainLoop#drain}). */
    void drain();

    /** Starts creations up to minIdle if the pool is below it (see {@link CreationControl#ensureMinIdle}). */
    void ensureMinIdle();
}
