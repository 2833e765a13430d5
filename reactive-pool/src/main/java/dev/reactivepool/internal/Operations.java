package dev.reactivepool.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The state of the operations on a running pool ({@code evictAll}, {@code resize},
 * {@code suspend}/{@code resume}): the generation that marks objects older than the last
 * {@code evictAll}, the count of surplus objects being destroyed after a resize down, the
 * suspension flag, and the latest limits set by a resize. The pool ({@link DefaultPool}) applies
 * them on its paths; see the section "Operations on a running pool" of {@code CONCURRENCY.md}.
 *
 * @param <T> the type of the pooled objects
 */
final class Operations<T> {

    /** The limits a resize sets, published together. */
    record Limits(int maxSize, int maxIdle, int minIdle) {
    }

    private final DefaultPool<T> pool;
    /** The largest maxSize a resize may set (the queues are preallocated to it). */
    private final int maxSizeLimit;
    /** Incremented by each evictAll; a slot created from an older value is never reused. */
    private final AtomicInteger generation = new AtomicInteger();
    /** Surplus objects whose destruction was decided (reserved) but has not ended yet. */
    private final AtomicInteger retiring = new AtomicInteger();
    private final AtomicBoolean suspended = new AtomicBoolean();
    /** The limits of the latest resize; the pool's own fields are copied from it until stable. */
    private final AtomicReference<Limits> limits;

    Operations(DefaultPool<T> pool, PoolConfig<T> config) {
        this.pool = pool;
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

    /** Starts a new generation: every object created before now is stale. */
    void newGeneration() {
        generation.incrementAndGet();
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

    /**
     * Publishes {@code next} and copies it into the pool's fields. Concurrent resizes may
     * interleave their copies, so each copier copies again whatever the latest limits are until
     * they did not change during its copy: the last copy of all is of the latest limits.
     */
    void apply(Limits next) {
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
    boolean reserveRetirement(AtomicInteger total, int maxSize) {
        for (;;) {
            int r = retiring.get();
            if (total.get() - r <= maxSize) {
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

    /** @return true if this call suspended the pool */
    boolean suspend() {
        return suspended.compareAndSet(false, true);
    }

    /** @return true if this call resumed the pool */
    boolean resume() {
        return suspended.compareAndSet(true, false);
    }
}
