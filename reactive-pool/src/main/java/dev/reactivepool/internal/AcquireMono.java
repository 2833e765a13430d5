package dev.reactivepool.internal;

import java.time.Duration;

import dev.reactivepool.Lease;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * The lazy {@code Mono} of {@link dev.reactivepool.Pool#acquire()}: each subscription is one
 * acquisition. Stateless, so the pool hands out one shared instance for its default timeout.
 *
 * @param <T> the type of the pooled object
 */
final class AcquireMono<T> extends Mono<Lease<T>> {

    private final DefaultPool<T> pool;
    private final Duration timeout;
    /** The pool's default timeout: waiters are watched by the pool's shared deadline timer. */
    private final boolean sharedDeadline;

    AcquireMono(DefaultPool<T> pool, Duration timeout, boolean sharedDeadline) {
        this.pool = pool;
        this.timeout = timeout;
        this.sharedDeadline = sharedDeadline;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Lease<T>> actual) {
        pool.subscribeAcquire(actual, timeout, sharedDeadline);
    }
}
