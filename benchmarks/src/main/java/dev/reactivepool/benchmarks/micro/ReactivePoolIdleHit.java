package dev.reactivepool.benchmarks.micro;

import java.util.concurrent.atomic.AtomicInteger;

import dev.reactivepool.Lease;
import dev.reactivepool.Pool;
import reactor.core.publisher.Mono;

/**
 * reactive-pool in the idle-hit benchmark, with its default options (FIFO reuse).
 */
final class ReactivePoolIdleHit implements IdleHitSubject {

    private final Pool<Resource> pool;

    ReactivePoolIdleHit(int size, dev.reactivepool.Affinity affinity) {
        AtomicInteger ids = new AtomicInteger();
        pool = Pool.builder(Mono.fromSupplier(() -> new Resource(ids.incrementAndGet())))
                .name("bench-reactive-pool")
                .maxSize(size)
                .minIdle(size)
                .maxIdle(size)
                .affinity(affinity)
                .build();
        Integer created = pool.warmup().block();
        IdleHitSubjects.checkWarm("reactive-pool", pool.metrics().idle(), size, created);
    }

    @Override
    public IdleHitCycle newCycle() {
        ValueCatcher<Lease<Resource>> leases = new ValueCatcher<>();
        ValueCatcher<Void> releases = new ValueCatcher<>();
        return () -> {
            pool.acquire().subscribe(leases);
            Lease<Resource> lease = leases.takeValue();
            Resource resource = lease.get();
            lease.release().subscribe(releases);
            releases.takeCompletion();
            return resource;
        };
    }

    @Override
    public void close() {
        pool.close().block();
    }
}
