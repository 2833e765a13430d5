package dev.reactivepool;

import java.time.Instant;

import reactor.core.publisher.Mono;

/**
 * A single-use handle on a pooled object.
 *
 * <p>A lease belongs to whoever received it from {@link Pool#acquire()} until it is released or
 * invalidated. After that it is dead: {@link #get()} throws {@link LeaseReleasedException} and
 * further calls of {@link #release()} or {@link #invalidate()} do nothing. This guards against
 * the most common pool bug, keeping and using an object after returning it.
 *
 * <p>{@link #release()} and {@link #invalidate()} are lazy like every Reactor publisher: they
 * act when subscribed. {@link Pool#withLease} does that for you.
 *
 * @param <T> the type of the pooled object
 */
public interface Lease<T> {

    /**
     * The leased object.
     *
     * @return the object, never null
     * @throws LeaseReleasedException if the lease was already released or invalidated
     */
    T get();

    /**
     * Returns the object to the pool when subscribed: it is reset (if the pool has a resetter)
     * and handed to the oldest waiting acquirer or kept idle; it is destroyed instead if the
     * reset fails, if it reached its maximum lifetime or number of uses, if keeping it would
     * exceed {@code maxIdle}, or if the pool is closed. Idempotent: only the first subscription
     * to {@code release()} or {@link #invalidate()} has an effect.
     *
     * @return a lazy {@code Mono} that completes when the object is back in the pool or destroyed
     */
    Mono<Void> release();

    /**
     * Destroys the object instead of returning it, when subscribed; use it when the object is
     * known to be broken. Its place in the pool is freed for a new object. Idempotent like
     * {@link #release()}.
     *
     * @return a lazy {@code Mono} that completes when the object is destroyed
     */
    Mono<Void> invalidate();

    /**
     * Whether this lease was released or invalidated.
     *
     * @return true once the lease is dead
     */
    boolean isReleased();

    /**
     * When the pooled object was created, read from the pool's timer scheduler clock.
     *
     * @return the creation time
     */
    Instant createdAt();

    /**
     * When this lease was handed out. Read from the pool's coarse clock, whose resolution is the
     * {@linkplain PoolBuilder#evictionInterval(java.time.Duration) eviction interval}, unless leak
     * detection is enabled, in which case it is exact.
     *
     * @return the acquisition time
     */
    Instant acquiredAt();

    /**
     * How many times the pooled object has been leased, this lease included.
     *
     * @return the number of leases of this object, at least 1
     */
    long timesAcquired();
}
