package dev.reactivepool;

import java.time.Duration;
import java.util.function.Function;

import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A lock-free reactive pool of objects of type {@code T}.
 *
 * <p>Objects are created by the allocator given to {@link #builder(Publisher)}, leased to one
 * user at a time through {@link #acquire()}, and returned with {@link Lease#release()}. The
 * preferred way to use a pool is {@link #withLease(Function)}, which scopes the lease with
 * {@link Flux#usingWhen} so that the object is returned on completion, on error and on
 * cancellation, whatever the user code does.
 *
 * <pre>{@code
 * Pool<Conn> pool = Pool.builder(connect())
 *         .maxSize(10).maxIdle(5).minIdle(2)
 *         .validator(Conn::ping)
 *         .resetter(Conn::rollback)
 *         .destroyer(Conn::close)
 *         .build();
 *
 * Flux<Row> rows = pool.withLease(conn -> conn.query("select 1"));
 * }</pre>
 *
 * <p>No method of a pool blocks or takes a lock; every method may be called from any thread,
 * including event-loop threads. {@link #dispose()} starts {@link #close()} and returns at once.
 *
 * @param <T> the type of the pooled objects
 */
public interface Pool<T> extends Disposable {

    /**
     * Starts building a pool.
     *
     * @param allocator a publisher subscribed once for each new object; it must emit exactly one
     *                  object or fail (a {@link Mono} is the natural fit)
     * @param <T>       the type of the pooled objects
     * @return a builder with every option at its documented default
     */
    static <T> PoolBuilder<T> builder(Publisher<? extends T> allocator) {
        return new PoolBuilder<>(allocator);
    }

    /**
     * Leases an object, waiting at most the pool's configured
     * {@linkplain PoolBuilder#acquireTimeout(Duration) acquire timeout}.
     *
     * <p>The returned {@code Mono} is lazy: nothing happens until it is subscribed, and each
     * subscription leases its own object. When an idle object is available and nobody is
     * waiting, the lease is emitted synchronously on the subscribing thread. Otherwise the
     * subscriber waits in FIFO order for a released object or for a new one. Cancelling the
     * subscription at any moment before the lease is emitted returns the object to the pool.
     *
     * <p>The allocator subscription of an object created for this acquirer and the validation of
     * an object about to be leased to it see this subscriber's Reactor {@code Context}; a reset
     * sees the context of the {@link Lease#release()} subscriber.
     *
     * <p>Errors: {@link PoolExhaustedException} at once if {@code maxPending} acquirers are
     * already waiting; {@link AcquireTimeoutException} when the timeout elapses;
     * {@link PoolClosedException} if the pool is closed; the allocator's own error when the
     * creation of the object made for this acquirer failed.
     *
     * @return a lazy {@code Mono} of one lease
     */
    Mono<Lease<T>> acquire();

    /**
     * Leases an object like {@link #acquire()}, with a specific timeout that covers the whole
     * acquisition: waiting, creating and validating.
     *
     * @param timeout the positive maximum time to wait for the lease, at most 365 days
     * @return a lazy {@code Mono} of one lease
     * @throws IllegalArgumentException if {@code timeout} is null, zero, negative or over 365 days
     */
    Mono<Lease<T>> acquire(Duration timeout);

    /**
     * Leases an object for the duration of the publisher returned by {@code work}.
     *
     * <p>Built on {@link Flux#usingWhen}: the lease is released (through the resetter, if any)
     * when the work completes, fails or is cancelled. The object must not escape {@code work}.
     *
     * @param work the work to do with the leased object
     * @param <R>  the type of the results
     * @return a lazy {@code Flux} of the work's results
     */
    <R> Flux<R> withLease(Function<? super T, ? extends Publisher<R>> work);

    /**
     * Creates objects until {@code minIdle} of them are idle or being created (bounded by
     * {@code maxSize}), without backoff. Creations already started by the background refill or
     * by another warmup count, so concurrent warmups do not overshoot. Cancelling the returned
     * {@code Mono} does not stop creations it started: their objects still go to the pool.
     *
     * @return a lazy {@code Mono} emitting how many objects were created, or failing with the
     *         first creation error once all its creations ended (objects created by then stay)
     */
    Mono<Integer> warmup();

    /**
     * A consistent-enough snapshot of the pool's gauges, counters and timers. Cheap: it reads
     * counters and allocates the snapshot; it never stalls acquirers.
     *
     * @return the current metrics
     */
    PoolMetrics metrics();

    /**
     * The pool's name, used in log lines, exception messages and metric tags.
     *
     * @return the name
     */
    String name();

    /**
     * Closes the pool when subscribed. Idempotent and non-blocking: waiting acquirers fail with
     * {@link PoolClosedException}, idle objects are destroyed, leased objects are destroyed when
     * they are returned. The {@code Mono} completes when every object is destroyed, or after the
     * {@linkplain PoolBuilder#closeGracePeriod(Duration) close grace period}, whichever comes
     * first. Subscribing again after the pool closed completes as soon as the first close does.
     *
     * @return a lazy {@code Mono} that closes the pool
     */
    Mono<Void> close();

    /**
     * Retires every object that exists now, softly: idle objects are destroyed at once, leased
     * ones when they are returned (instead of going back to the idle set), and creations already
     * under way deliver their object to the acquirer they were started for, if it still waits, and
     * are destroyed on return. An acquire that subscribes after this call returns never gets an
     * object whose creation started before it. Use it when the objects are no longer good
     * although they still work: rotated credentials, a database failover. Non-blocking: returns
     * at once; the destructions run on the destroyer as usual and count in
     * {@link PoolMetrics#evicted()}. New objects are created on demand (and up to {@code minIdle}).
     */
    void evictAll();

    /**
     * Changes {@code maxSize} at runtime, like {@link #resize(int, int, int)}. {@code maxIdle}
     * follows {@code maxSize} if it was equal to it (no idle cap), otherwise it is lowered to
     * {@code maxSize} if above it; {@code minIdle} is lowered to {@code maxIdle} if above it.
     *
     * @param maxSize the new maximum number of live objects, between 1 and the pool's
     *                {@linkplain PoolBuilder#maxSizeLimit(int) maxSizeLimit}
     * @throws InvalidPoolConfigurationException naming {@code maxSize} when it is out of range
     */
    void resize(int maxSize);

    /**
     * Changes the pool's limits at runtime. Growing lets waiting acquirers be served at once by
     * new objects. Shrinking destroys surplus idle objects at once and surplus leased ones when
     * they are returned, so that once they have all returned the pool holds at most
     * {@code maxSize} live objects and {@code maxIdle} idle ones; until then, acquirers are served
     * by the objects that remain. Non-blocking; the arguments are checked first, and nothing
     * changes if one is out of range.
     *
     * @param maxSize the new maximum number of live objects, between 1 and the pool's
     *                {@linkplain PoolBuilder#maxSizeLimit(int) maxSizeLimit}
     * @param maxIdle the new maximum number of idle objects, between 0 and {@code maxSize}
     * @param minIdle the new number of idle objects kept ready, between 0 and {@code maxIdle}
     * @throws InvalidPoolConfigurationException naming the first argument out of range
     */
    void resize(int maxSize, int maxIdle, int minIdle);

    /**
     * Suspends acquisition: until {@link #resume()}, acquires wait even if objects are idle
     * (bounded by their timeout, failing with {@link AcquireTimeoutException} as usual) and no
     * object is created, not even by the {@code minIdle} refill or {@link #warmup()}. Leases
     * already handed out stay valid and return to the idle set. Idempotent and non-blocking;
     * acquires that subscribe after this call returns are held. {@link #close()} still fails
     * waiting acquirers.
     */
    void suspend();

    /**
     * Ends a {@link #suspend()}: waiting acquirers are served in the order they came, from idle
     * objects first, then by creating. Idempotent and non-blocking.
     */
    void resume();

    /**
     * Whether the pool is suspended.
     *
     * @return true between {@link #suspend()} and {@link #resume()}
     */
    boolean isSuspended();

    /**
     * Starts {@link #close()} without waiting for it.
     */
    @Override
    void dispose();

    /**
     * Whether {@link #close()} has started.
     *
     * @return true once the pool is closing or closed
     */
    @Override
    boolean isDisposed();
}
