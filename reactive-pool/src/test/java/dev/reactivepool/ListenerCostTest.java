package dev.reactivepool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * What listeners cost on the idle-hit acquire + release: nothing without one (the lease only,
 * as in {@link FastPathTest}); with a no-op listener, the two event records and the hold time's
 * {@code Duration}, and no more.
 */
class ListenerCostTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    private double bytesPerCycle(PoolBuilder<Res> builder) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Pool<Res> pool = fixture.build(builder);
        Mono<Lease<Res>> acquire = pool.acquire();
        Grabber grabber = new Grabber();
        for (int i = 0; i < 50_000; i++) { // warm up: the JIT compiles the path
            acquire.subscribe(grabber);
            grabber.lease.release().subscribe(grabber.completion);
        }
        int n = 100_000;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < n; i++) {
            acquire.subscribe(grabber);
            grabber.lease.release().subscribe(grabber.completion);
        }
        return (double) (threads.getCurrentThreadAllocatedBytes() - before) / n;
    }

    @Test
    void noListenerAllocatesOnlyTheLease() {
        double bytes = bytesPerCycle(fixture.virtualTimeBuilder());
        System.out.printf("idle-hit acquire + release, no listener: %.1f B per cycle%n", bytes);

        assertThat(bytes).isLessThanOrEqualTo(56.0);
    }

    @Test
    void aNoOpListenerAddsItsEventsOnly() {
        double bytes = bytesPerCycle(fixture.virtualTimeBuilder().listener(new PoolListener<Res>() {
        }));
        System.out.printf("idle-hit acquire + release, one no-op listener: %.1f B per cycle%n", bytes);

        // the lease (40), an Acquired and a Released record (about 32 each), the hold time (24)
        assertThat(bytes).isLessThanOrEqualTo(160.0);
    }

    /** Takes the lease and completes releases without allocating. */
    private static final class Grabber implements CoreSubscriber<Lease<Res>> {
        Lease<Res> lease;
        final CoreSubscriber<Void> completion = new CoreSubscriber<>() {
            @Override
            public void onSubscribe(Subscription s) {
                s.request(1);
            }

            @Override
            public void onNext(Void v) {
            }

            @Override
            public void onError(Throwable t) {
                throw new AssertionError(t);
            }

            @Override
            public void onComplete() {
            }
        };

        @Override
        public void onSubscribe(Subscription s) {
            s.request(1);
        }

        @Override
        public void onNext(Lease<Res> l) {
            lease = l;
        }

        @Override
        public void onError(Throwable t) {
            throw new AssertionError(t);
        }

        @Override
        public void onComplete() {
        }
    }
}
