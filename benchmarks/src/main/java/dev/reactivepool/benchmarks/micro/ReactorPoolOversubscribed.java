package dev.reactivepool.benchmarks.micro;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.pool.InstrumentedPool;
import reactor.pool.PoolBuilder;
import reactor.pool.PooledRef;

/**
 * reactor-pool's {@code SimpleDequePool} in the oversubscribed benchmark: fixed size, LRU (FIFO)
 * reuse, unbounded pending; {@code acquire()} and {@code PooledRef.release()}.
 */
final class ReactorPoolOversubscribed implements OversubscribedSubject {

    private final InstrumentedPool<Resource> pool;

    ReactorPoolOversubscribed(int size) {
        AtomicInteger ids = new AtomicInteger();
        pool = PoolBuilder.from(Mono.fromSupplier(() -> new Resource(ids.incrementAndGet())))
                .sizeBetween(size, size)
                .idleResourceReuseLruOrder()
                .maxPendingAcquireUnbounded()
                .buildPool();
        Integer created = pool.warmup().block();
        IdleHitSubjects.checkWarm("reactor-pool", pool.metrics().idleSize(), size, created);
    }

    @Override
    public RepeatingAcquirer<?> newAcquirer(Executor step) {
        return new RepeatingAcquirer<PooledRef<Resource>>(step) {
            @Override
            void subscribeAcquire(CoreSubscriber<? super PooledRef<Resource>> subscriber) {
                pool.acquire().subscribe(subscriber);
            }

            @Override
            Resource object(PooledRef<Resource> ref) {
                return ref.poolable();
            }

            @Override
            void subscribeRelease(PooledRef<Resource> ref, CoreSubscriber<Void> subscriber) {
                ref.release().subscribe(subscriber);
            }
        };
    }

    @Override
    public void close() {
        pool.disposeLater().block();
    }
}
