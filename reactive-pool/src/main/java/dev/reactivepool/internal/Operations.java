package dev.reactivepool.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;

import dev.reactivepool.DestroyReason;
import reactor.core.CoreSubscriber;

/**
 * The operations on a running pool ({@code evictAll}, {@code resize}, {@code suspend}/{@code resume})
 * and their state: the generation that marks objects older than the last {@code evictAll}, the
 * count of surplus objects being destroyed after a resize down, the suspension flag, and the
 * latest limits set by a resize. It runs the operations, the sweep of the idle store that follows
 * them ({@link #trimIdle}) and the decision whether a returning object is retired
 * ({@link #retire}); the pool ({@link DefaultPool}, through {@link OperationsHost}) reads the
 * state on its own paths. See the section "Operations on a running pool" of {@code CONCURRENCY.md}.
 *
 * @param <T> the type of the pooled objects
 */
final class Operations<T> {

    /** The limits a resize sets, published together. */
    record Limits(int maxSize, int maxIdle, int minIdle) {
    }

    private final OperationsHost<T> pool;
    private final PoolCounters counters;
    /** {@link #trimIdle}'s two steps, made once (a sweep runs on the release path after a resize). */
    private final Predicate<Slot<T>> mayLeaveIdle = this::mayLeaveIdle;
    private final Consumer<Slot<T>> leaveIdle = this::leaveIdle;
    /** The largest maxSize a resize may set (the queues are preallocated to it). */
    private final int maxSizeLimit;
    /** Incremented by each evictAll; a slot created from an older value is never reused. */
    private final AtomicInteger generation = new AtomicInteger();
    /** Surplus objects whose destruction was decided (reserved) but has not ended yet. */
    private final AtomicInteger retiring = new AtomicInteger();
    private final AtomicBoolean suspended = new AtomicBoolean();
    /** The limits of the latest resize; the pool's own fields are copied from it until stable. */
    private final AtomicReference<Limits> limits;

    Operations(OperationsHost<T> pool, PoolConfig<T> config, PoolCounters counters) {
        this.pool = pool;
        this.counters = counters;
        this.maxSizeLimit = config.maxSizeLimit();
        this.limits = new AtomicReference<>(new Limits(config.maxSize(), config.maxIdle(), config.minIdle()));
    }

    // ---- evictAll ----

    /** The current generation, read when a creation starts. */
    int generation() {
        return generation.get();
    }

    /** Whether {@code slot} was created (its creation started) before the last evictAll. */
    boolean isStale(Slot<T> slot) {
        return slot.generation != generation.get();
    }

    /** {@code evictAll()}: every object created before now is stale; idle ones go now, leased ones when they come back. */
    void evictAll() {
        generation.incrementAndGet();
        trimIdle(); // idle objects now; leased ones when they come back (retire)
    }

    // ---- resize ----

    /** The largest maxSize a resize accepts. */
    int maxSizeLimit() {
        return maxSizeLimit;
    }

    /**
     * {@code resize(maxSize)}: maxIdle follows maxSize if it was equal to it (no idle cap),
     * otherwise it is lowered to maxSize if above; minIdle is lowered to maxIdle if above.
     */
    Limits limitsFor(int maxSize) {
        Limits current = limits.get();
        OptionRule.MAX_SIZE.checkUpTo("maxSize", maxSize, "maxSizeLimit", maxSizeLimit);
        int maxIdle = current.maxIdle() >= current.maxSize() ? maxSize : Math.min(current.maxIdle(), maxSize);
        return new Limits(maxSize, maxIdle, Math.min(current.minIdle(), maxIdle));
    }

    /** Checks the three limits of {@code resize(maxSize, maxIdle, minIdle)} like the builder does. */
    Limits limitsFor(int maxSize, int maxIdle, int minIdle) {
        OptionRule.MAX_SIZE.checkUpTo("maxSize", maxSize, "maxSizeLimit", maxSizeLimit);
        OptionRule.MAX_IDLE.checkUpTo("maxIdle", maxIdle, "maxSize", maxSize);
        OptionRule.MIN_IDLE.checkUpTo("minIdle", minIdle, "maxIdle", maxIdle);
        return new Limits(maxSize, maxIdle, minIdle);
    }

    /** {@code resize}: applies checked limits, sweeps the idle surplus, then serves or refills. */
    void resize(Limits next) {
        apply(next);
        trimIdle(); // idle surplus now; leased surplus when it comes back (retire)
        if (pool.hasWaiters()) {
            pool.drain(); // growing: waiters get new objects at once
        } else {
            pool.ensureMinIdle();
        }
    }

    /**
     * Publishes {@code next} and copies it into the pool's fields. Concurrent resizes may
     * interleave their copies, so each copier copies again whatever the latest limits are until
     * they did not change during its copy: the last copy of all is of the latest limits.
     */
    private void apply(Limits next) {
        limits.set(next);
        Limits copied = next;
        for (;;) {
            pool.applyLimits(copied.maxSize(), copied.maxIdle(), copied.minIdle());
            Limits latest = limits.get();
            if (latest == copied) {
                return;
            }
            copied = latest;
        }
    }

    /**
     * Whether live objects, minus the surplus already being destroyed, exceed {@code maxSize}.
     *
     * @param total the pool's live objects (its permit count)
     * @param maxSize the pool's current maxSize
     */
    boolean hasSurplus(int total, int maxSize) {
        return total - retiring.get() > maxSize;
    }

    /**
     * Reserves the destruction of one surplus object: succeeds while live objects minus those
     * already reserved exceed {@code maxSize}, so that concurrent releases destroy exactly the
     * surplus and not one more. The reservation ends in {@link #retirementEnded()} once the
     * object's permit is freed.
     */
    private boolean reserveRetirement(int maxSize) {
        for (;;) {
            int r = retiring.get();
            if (pool.liveObjects() - r <= maxSize) {
                return false;
            }
            if (retiring.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    /** A reserved surplus object is destroyed; called after its permit was freed. */
    void retirementEnded() {
        retiring.decrementAndGet();
    }

    // ---- suspend / resume ----

    boolean isSuspended() {
        return suspended.get();
    }

    /**
     * Suspends acquisition: a phantom waiter in the pool's pending count sends every acquire down
     * the slow path (no idle hit, no direct creation) and every release through the drain loop,
     * which serves nobody and creates nothing while suspended; the minIdle refill skips pools with
     * waiters. The idle-hit path thus pays nothing for suspension.
     */
    void suspend() {
        pool.addPhantomWaiter(); // before the flag: once the flag is seen, so is the phantom
        if (!suspended.compareAndSet(false, true)) {
            pool.removePhantomWaiter(); // already suspended
        }
    }

    /** Resumes acquisition: the phantom waiter leaves, then the waiters are served in FIFO order. */
    void resume() {
        if (suspended.compareAndSet(true, false)) {
            pool.removePhantomWaiter();
            pool.drain(); // serves the waiters in FIFO order and creates for them
            if (!pool.hasWaiters()) {
                pool.ensureMinIdle();
            }
        }
    }

    // ---- returning objects and the idle sweep ----

    /**
     * Whether a returning object must be destroyed instead of reused: created before an evictAll,
     * or surplus after a resize down. Destroys it (completing {@code done}) if so.
     */
    boolean retire(Slot<T> slot, CoreSubscriber<? super Void> done) {
        if (isStale(slot)) {
            destroyEvictedAll(slot, done);
            return true;
        }
        int maxSize = pool.maxSize();
        if (pool.liveObjects() > maxSize && reserveRetirement(maxSize)) {
            slot.retired = true;
            destroyResized(slot, done);
            return true;
        }
        return false;
    }

    /**
     * Destroys the idle objects that an evictAll or a resize left behind: those created before
     * the last evictAll, those above maxSize, those above maxIdle. Safe to run concurrently with
     * acquires, releases, housekeeping and itself: each slot is decided by whoever took it out.
     */
    void trimIdle() {
        pool.sweepIdle(mayLeaveIdle, leaveIdle);
    }

    /** A first look, without owning the slot: could it have to leave the idle store? */
    private boolean mayLeaveIdle(Slot<T> slot) {
        return isStale(slot)
                || hasSurplus(pool.liveObjects(), pool.maxSize())
                || (pool.idleCapped() && (!slot.idleCounted || pool.idlePlacesTaken() > pool.maxIdle()));
    }

    /** The slot is out of the idle store and ours: destroy it, or put it back under the idle cap. */
    private void leaveIdle(Slot<T> slot) {
        if (slot.idleCounted) {
            slot.idleCounted = false;
            pool.giveBackIdlePlace();
        }
        if (retire(slot, null)) {
            return;
        }
        if (pool.idleCapped()) {
            if (!pool.takeIdlePlace()) {
                destroyResized(slot, null); // above the new maxIdle
                return;
            }
            slot.idleCounted = true;
        }
        pool.putBack(slot);
    }

    /** Destroys an object because of evictAll (destroy reason EVICT_ALL). */
    void destroyEvictedAll(Slot<T> slot, CoreSubscriber<? super Void> done) {
        counters.evicted.increment();
        slot.destroyReason = DestroyReason.EVICT_ALL;
        pool.destroy(slot, done);
    }

    /** Destroys an object because a resize made it surplus (destroy reason RESIZE). */
    private void destroyResized(Slot<T> slot, CoreSubscriber<? super Void> done) {
        counters.evicted.increment();
        slot.destroyReason = DestroyReason.RESIZE;
        pool.destroy(slot, done);
    }
}
