package dev.reactivepool.benchmarks.micro;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import stormpot.Allocator;
import stormpot.Expiration;
import stormpot.Pool;
import stormpot.PoolBuilder;
import stormpot.Slot;
import stormpot.Timeout;

/**
 * Stormpot 3.2 (the newest release that runs on JDK 17) in the idle-hit benchmark: blocking
 * {@code claim}/{@code release} on the pool itself, with its default expiration (a time-spread
 * 8 to 10 minutes, checked on every claim) or with {@link Expiration#never()}.
 */
final class StormpotIdleHit implements IdleHitSubject {

    private static final Timeout CLAIM_TIMEOUT = new Timeout(10, TimeUnit.SECONDS);

    private final Pool<StormpotResource> pool;

    StormpotIdleHit(int size, boolean defaultExpiration) throws InterruptedException {
        AtomicInteger ids = new AtomicInteger();
        Allocator<StormpotResource> allocator = new Allocator<>() {
            @Override
            public StormpotResource allocate(Slot slot) {
                return new StormpotResource(slot, new Resource(ids.incrementAndGet()));
            }

            @Override
            public void deallocate(StormpotResource poolable) {
                // nothing to free
            }
        };
        PoolBuilder<StormpotResource> builder = Pool.from(allocator).setSize(size);
        if (!defaultExpiration) {
            builder.setExpiration(Expiration.never());
        }
        pool = builder.build();
        // Stormpot allocates in a background thread: claim every object once so that the pool is
        // full before measuring, as the other pools are after their warmup.
        StormpotResource[] claimed = new StormpotResource[size];
        for (int i = 0; i < size; i++) {
            claimed[i] = pool.claim(CLAIM_TIMEOUT);
            if (claimed[i] == null) {
                throw new IllegalStateException("stormpot did not allocate " + size + " objects in time");
            }
        }
        for (StormpotResource r : claimed) {
            r.release();
        }
    }

    @Override
    public IdleHitCycle newCycle() {
        return () -> {
            StormpotResource claimed = pool.claim(CLAIM_TIMEOUT);
            Resource resource = claimed.resource();
            claimed.release();
            return resource;
        };
    }

    @Override
    public void close() throws InterruptedException {
        pool.shutdown().await(CLAIM_TIMEOUT);
    }
}
