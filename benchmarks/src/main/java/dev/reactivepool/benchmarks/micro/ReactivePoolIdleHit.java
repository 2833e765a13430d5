package dev.reactivepool.benchmarks.micro;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import dev.reactivepool.Lease;
import dev.reactivepool.Pool;
import dev.reactivepool.PoolBuilder;
import reactor.core.publisher.Mono;

/**
 * reactive-pool in the idle-hit benchmark: its default options (FIFO reuse) changed by one of
 * {@link ReactivePoolVariants}.
 */
final class ReactivePoolIdleHit implements IdleHitSubject {

    private final Pool<Resource> pool;

    ReactivePoolIdleHit(String name, int size, UnaryOperator<PoolBuilder<Resource>> variant) {
        AtomicInteger ids = new AtomicInteger();
        pool = variant.apply(Pool.builder(Mono.fromSupplier(() -> new Resource(ids.incrementAndGet())))
                        .name("bench-" + name)
                        .maxSize(size)
                        .minIdle(size)
                        .maxIdle(size))
                .build();
        Integer created = pool.warmup().block();
        IdleHitSubjects.checkWarm(name, pool.metrics().idle(), size, created);
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
