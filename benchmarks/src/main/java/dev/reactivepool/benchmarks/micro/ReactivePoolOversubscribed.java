package dev.reactivepool.benchmarks.micro;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import dev.reactivepool.Lease;
import dev.reactivepool.Pool;
import dev.reactivepool.PoolBuilder;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * reactive-pool in the oversubscribed benchmark: its defaults (FIFO waiters and idle objects,
 * unbounded pending) changed by one of {@link ReactivePoolVariants}; {@code acquire()} and
 * {@code Lease.release()}.
 */
final class ReactivePoolOversubscribed implements OversubscribedSubject {

    private final Pool<Resource> pool;

    ReactivePoolOversubscribed(String name, int size, UnaryOperator<PoolBuilder<Resource>> variant) {
        AtomicInteger ids = new AtomicInteger();
        pool = variant.apply(Pool.builder(Mono.fromSupplier(() -> new Resource(ids.incrementAndGet())))
                        .name("bench-oversubscribed-" + name)
                        .maxSize(size)
                        .minIdle(size)
                        .maxIdle(size))
                .build();
        Integer created = pool.warmup().block();
        IdleHitSubjects.checkWarm(name, pool.metrics().idle(), size, created);
    }

    @Override
    public RepeatingAcquirer<?> newAcquirer(Executor step) {
        return new RepeatingAcquirer<Lease<Resource>>(step) {
            @Override
            void subscribeAcquire(CoreSubscriber<? super Lease<Resource>> subscriber) {
                pool.acquire().subscribe(subscriber);
            }

            @Override
            Resource object(Lease<Resource> lease) {
                return lease.get();
            }

            @Override
            void subscribeRelease(Lease<Resource> lease, CoreSubscriber<Void> subscriber) {
                lease.release().subscribe(subscriber);
            }
        };
    }

    @Override
    public void close() {
        pool.close().block();
    }
}
