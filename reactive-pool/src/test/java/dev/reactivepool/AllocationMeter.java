package dev.reactivepool;

import java.lang.management.ManagementFactory;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * Measures the bytes the calling thread allocates per idle-hit acquire + release of a pool.
 * The subscribers it uses are created once and reused for every cycle, so what it counts is
 * the pool's own allocation (the lease, events), not the test's.
 */
final class AllocationMeter {

    private static final int WARM_UP_CYCLES = 50_000;
    private static final int MEASURED_CYCLES = 100_000;

    private AllocationMeter() {
    }

    /**
     * Runs acquire + release cycles on the calling thread, first to let the JIT compile the
     * path, then counted; returns the bytes the thread allocated per counted cycle.
     */
    static <T> double bytesPerAcquireAndRelease(Pool<T> pool) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Mono<Lease<T>> acquire = pool.acquire();
        LeaseGrabber<T> grabber = new LeaseGrabber<>();
        Completion completion = new Completion();
        cycles(acquire, grabber, completion, WARM_UP_CYCLES);

        long before = threads.getCurrentThreadAllocatedBytes();
        cycles(acquire, grabber, completion, MEASURED_CYCLES);
        return (double) (threads.getCurrentThreadAllocatedBytes() - before) / MEASURED_CYCLES;
    }

    private static <T> void cycles(Mono<Lease<T>> acquire, LeaseGrabber<T> grabber, Completion completion, int n) {
        for (int i = 0; i < n; i++) {
            acquire.subscribe(grabber);
            grabber.lease.release().subscribe(completion);
        }
    }

    /** Takes the lease without allocating: one instance reused for every acquire. */
    private static final class LeaseGrabber<T> implements CoreSubscriber<Lease<T>> {
        Lease<T> lease;

        @Override
        public void onSubscribe(Subscription s) {
            s.request(1);
        }

        @Override
        public void onNext(Lease<T> l) {
            lease = l;
        }

        @Override
        public void onError(Throwable t) {
            throw new AssertionError("acquire failed while measuring allocation", t);
        }

        @Override
        public void onComplete() {
        }
    }

    /** Subscribes to releases without allocating. */
    private static final class Completion implements CoreSubscriber<Void> {
        @Override
        public void onSubscribe(Subscription s) {
            s.request(1);
        }

        @Override
        public void onNext(Void v) {
        }

        @Override
        public void onError(Throwable t) {
            throw new AssertionError("release failed while measuring allocation", t);
        }

        @Override
        public void onComplete() {
        }
    }
}
