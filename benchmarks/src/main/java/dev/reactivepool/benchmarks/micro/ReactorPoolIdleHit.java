package dev.reactivepool.benchmarks.micro;

import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;
import reactor.pool.InstrumentedPool;
import reactor.pool.PoolBuilder;
import reactor.pool.PooledRef;

/**
 * reactor-pool's {@code SimpleDequePool} in the idle-hit benchmark: fixed size, LRU (FIFO) reuse,
 * acquired and released with the same reusable subscribers as reactive-pool.
 */
final class ReactorPoolIdleHit implements IdleHitSubject {

    private final InstrumentedPool<Resource> pool;

    ReactorPoolIdleHit(int size) {
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
    public IdleHitCycle newCycle() {
        ValueCatcher<PooledRef<Resource>> refs = new ValueCatcher<>();
        ValueCatcher<Void> releases = new ValueCatcher<>();
        return () -> {
            pool.acquire().subscribe(refs);
            PooledRef<Resource> ref = refs.takeValue();
            Resource resource = ref.poolable();
            ref.release().subscribe(releases);
            releases.takeCompletion();
            return resource;
        };
    }

    @Override
    public void close() {
        pool.disposeLater().block();
    }
}
