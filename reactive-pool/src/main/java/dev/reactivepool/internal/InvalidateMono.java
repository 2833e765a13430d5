package dev.reactivepool.internal;

import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * The {@code Mono<Void>} of {@link PooledLease#invalidate()}: when subscribed, ends the lease and
 * destroys the object and completes once it is destroyed; completes at once if the lease
 * already ended.
 *
 * @param <T> the type of the pooled object
 */
final class InvalidateMono<T> extends Mono<Void> {

    private final PooledLease<T> lease;

    InvalidateMono(PooledLease<T> lease) {
        this.lease = lease;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Void> actual) {
        if (lease.kill()) {
            lease.slot.pool.invalidate(lease.slot, actual);
        } else {
            Operators.complete(actual);
        }
    }
}
