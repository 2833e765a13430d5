package dev.reactivepool.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import dev.reactivepool.AcquireTimeoutException;
import dev.reactivepool.Lease;
import dev.reactivepool.Pool;
import dev.reactivepool.PoolBuilder;
import dev.reactivepool.PoolExhaustedException;
import dev.reactivepool.PoolMetrics;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The scaffolding of the random-operation stress tests ({@link PoolStressTest},
 * {@link SharedLeasesStressTest}): an allocator that fails or is slow at random and a destroyer,
 * both counting live objects; worker threads issuing random acquires (some with a timeout),
 * cancellations, releases, invalidations, {@code withLease} calls and idle samples; then
 * quiescence, the invariants every pool keeps, and close.
 *
 * <p>What a lease on a {@link Resource} may look like (one holder, or up to k) differs per test:
 * a test says it in {@link #taken}, {@link #returned} and {@link #withLeaseEnded}, and records
 * what it finds wrong with {@link #violation}.
 */
abstract class StressRun {

    /** A pooled object that knows who holds it. */
    static final class Resource {
        final AtomicInteger holders = new AtomicInteger();
        final AtomicBoolean destroyed = new AtomicBoolean();
    }

    /** The pool's figures at a moment when nothing was in flight, and the live objects then. */
    record Quiet(PoolMetrics metrics, long live) {
    }

    /** Worker threads. */
    static final int THREADS = 2;
    /** Acquires a worker keeps subscribed at most before it forgets the terminated ones. */
    private static final int MAX_OUTSTANDING = 24;

    private final int opsPerThread;

    final AtomicInteger live = new AtomicInteger();
    final AtomicInteger maxLive = new AtomicInteger();
    final AtomicLong created = new AtomicLong();
    final AtomicLong destroyed = new AtomicLong();
    final AtomicInteger maxIdleSeen = new AtomicInteger();
    final LongAdder leasesReceived = new LongAdder();
    final LongAdder cancels = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder rejections = new LongAdder();
    final LongAdder creationErrors = new LongAdder();
    private final Queue<String> violations = new ConcurrentLinkedQueue<>();
    private final Queue<Lease<Resource>> held = new ConcurrentLinkedQueue<>();
    private final List<Worker> workers = new ArrayList<>();
    private long start;

    /** @param opsPerThread random operations each of the {@link #THREADS} workers issues */
    StressRun(int opsPerThread) {
        this.opsPerThread = opsPerThread;
    }

    /** A lease on {@code res} was received, by an acquire or by a {@code withLease} body. */
    abstract void taken(Resource res, boolean inWithLease);

    /** A received lease on {@code res} is about to be released or invalidated. */
    abstract void returned(Resource res);

    /** A {@code withLease} body on {@code res} terminated or was cancelled. */
    abstract void withLeaseEnded(Resource res);

    /** Records a broken invariant; the run fails at the end, naming each one. */
    final void violation(String what) {
        violations.add(what);
    }

    /** Makes a {@link Resource}; 3 % fail ("backend down"), 7 % take 1 ms on {@code timer}. */
    final Mono<Resource> allocator(Scheduler timer) {
        return Mono.defer(() -> {
            int r = ThreadLocalRandom.current().nextInt(100);
            if (r < 3) {
                return Mono.error(new IllegalStateException("backend down"));
            }
            Mono<Resource> make = Mono.fromCallable(() -> {
                int now = live.incrementAndGet();
                maxLive.accumulateAndGet(now, Math::max);
                created.incrementAndGet();
                return new Resource();
            });
            return r < 10 ? make.delaySubscription(Duration.ofMillis(1), timer) : make;
        });
    }

    /** The validator's verdict: 4 % invalid, 4 % valid after 1 ms on {@code timer}, the others valid at once. */
    static Mono<Boolean> randomVerdict(Scheduler timer) {
        int r = ThreadLocalRandom.current().nextInt(100);
        if (r < 4) {
            return Mono.just(false);
        }
        return r < 8 ? Mono.just(true).delayElement(Duration.ofMillis(1), timer) : Mono.just(true);
    }

    /** The resetter's outcome: 2 % fail ("reset failed"), the others complete at once. */
    static Mono<Void> randomReset() {
        return ThreadLocalRandom.current().nextInt(100) < 2
                ? Mono.error(new IllegalStateException("reset failed")) : Mono.empty();
    }

    /**
     * Objects come and go throughout the run: lifetimes of 40 ms (jitter 10 ms), idle timeout
     * 15 ms, 50 uses, eviction every 5 ms, creation backoff 1 to 4 ms, all on {@code timer}.
     */
    static PoolBuilder<Resource> churn(PoolBuilder<Resource> builder, Scheduler timer) {
        return builder
                .maxLifetime(Duration.ofMillis(40), Duration.ofMillis(10))
                .idleTimeout(Duration.ofMillis(15))
                .maxUses(50)
                .evictionInterval(Duration.ofMillis(5))
                .creationBackoff(Duration.ofMillis(1), Duration.ofMillis(4))
                .timerScheduler(timer);
    }

    /** The pool's destroyer: an object is destroyed once, and never while leased. */
    final Mono<Void> destroy(Resource res) {
        return Mono.fromRunnable(() -> {
            if (!res.destroyed.compareAndSet(false, true)) {
                violation("destroyed twice");
            }
            if (res.holders.get() != 0) {
                violation("destroyed while leased");
            }
            live.decrementAndGet();
            destroyed.incrementAndGet();
        });
    }

    /** Runs the workers on their own threads until each has done its operations; returns them all. */
    final long runWorkers(Pool<Resource> pool) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(THREADS);
        start = System.nanoTime();
        for (int i = 0; i < THREADS; i++) {
            Worker w = new Worker(pool, done);
            workers.add(w);
            Thread t = new Thread(w, "stress-worker-" + i);
            t.start();
        }
        assertThat(done.await(120, TimeUnit.SECONDS)).as("workers finished").isTrue();
        long opsDone = workers.stream().mapToLong(w -> w.ops).sum();
        assertThat(opsDone).isEqualTo((long) THREADS * opsPerThread);
        return opsDone;
    }

    /**
     * Quiescence: every acquire that was not cancelled terminates; every lease received is returned.
     * Eviction and minIdle refills keep running (lifetimes are tens of ms), so the figures are
     * captured together at a moment when nothing is in flight, and asserted on afterwards.
     */
    final Quiet awaitQuiescence(Pool<Resource> pool) {
        AtomicReference<Quiet> quiet = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> {
            releaseAllHeld();
            boolean allTerminated = workers.stream().allMatch(Worker::allSettled);
            long liveBefore = created.get() - destroyed.get();
            PoolMetrics m = pool.metrics();
            long liveAfter = created.get() - destroyed.get();
            boolean still = allTerminated && held.isEmpty() && m.leased() == 0 && m.leases() == 0 && m.pending() == 0
                    && m.creating() == 0 && m.total() == m.idle() && liveBefore == liveAfter && liveAfter == m.total();
            if (still) {
                quiet.set(new Quiet(m, liveAfter));
            }
            return still;
        });
        return quiet.get();
    }

    /** One line of the run's figures, with {@code more} (the test's own) before the pool's metrics. */
    final void report(long opsDone, String more, PoolMetrics m) {
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("stress: %d operations in %d ms on %d threads; leases=%d cancels=%d timeouts=%d "
                        + "rejections=%d creationErrors=%d maxLive=%d maxIdleSeen=%d%s%n%s%n", opsDone, elapsedMs, THREADS,
                leasesReceived.sum(), cancels.sum(), timeouts.sum(), rejections.sum(), creationErrors.sum(),
                maxLive.get(), maxIdleSeen.get(), more, m);
    }

    /** No violation was recorded; live objects stayed within maxSize and idle within maxIdle (sampled). */
    final void assertBounds(int maxSize, int maxIdle) {
        assertThat(new TreeSet<>(violations)).as("ownership violations").isEmpty();
        assertThat(maxLive.get()).as("live objects never exceed maxSize").isLessThanOrEqualTo(maxSize);
        assertThat(maxIdleSeen.get()).as("idle never exceeds maxIdle").isLessThanOrEqualTo(maxIdle);
    }

    /** At quiescence no lease was lost and the test's own count of live objects matches the pool's; the run did work. */
    final void assertQuiet(Quiet quiet) {
        PoolMetrics m = quiet.metrics();
        assertThat(m.leased()).as("no lease lost").isZero();
        assertThat(quiet.live()).as("created - destroyed == idle + leased")
                .isEqualTo(m.idle() + m.leased());
        assertThat(leasesReceived.sum()).as("the run did real work").isGreaterThan(10_000);
        assertThat(cancels.sum()).isGreaterThan(1_000);
    }

    /** Closes the pool: every object made is destroyed. */
    final void closeAndAssertAllDestroyed(Pool<Resource> pool) {
        pool.close().block(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> created.get() == destroyed.get());
        assertThat(live.get()).isZero();
        assertThat(pool.metrics().total()).isZero();
    }

    private void releaseAllHeld() {
        Lease<Resource> lease;
        while ((lease = held.poll()) != null) {
            returnLease(lease, false);
        }
    }

    private void returnLease(Lease<Resource> lease, boolean invalidate) {
        Resource res = lease.get();
        if (res.destroyed.get()) {
            violation("leased a destroyed object");
        }
        returned(res);
        (invalidate ? lease.invalidate() : lease.release()).subscribe();
    }

    private void classify(Throwable e) {
        if (e instanceof AcquireTimeoutException) {
            timeouts.increment();
        } else if (e instanceof PoolExhaustedException) {
            rejections.increment();
        } else if ("backend down".equals(e.getMessage())
                || (e instanceof TimeoutException && e.getMessage().contains("(createTimeout)"))) {
            creationErrors.increment(); // the allocator's error, or its timeout, reaches the acquirer that caused it
        } else {
            violation("unexpected error: " + e);
        }
    }

    /** Issues random operations from one thread. */
    private final class Worker implements Runnable {
        private final Pool<Resource> pool;
        private final CountDownLatch done;
        private final List<Acquirer> outstanding = new ArrayList<>();
        long ops;

        Worker(Pool<Resource> pool, CountDownLatch done) {
            this.pool = pool;
            this.done = done;
        }

        @Override
        public void run() {
            try {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int i = 0; i < opsPerThread; i++) {
                    int op = rnd.nextInt(100);
                    if (op < 40) {
                        if (outstanding.size() >= MAX_OUTSTANDING) {
                            outstanding.removeIf(Acquirer::terminated);
                        }
                        Acquirer a = new Acquirer();
                        outstanding.add(a);
                        (rnd.nextInt(4) == 0 ? pool.acquire(Duration.ofMillis(1 + rnd.nextInt(10))) : pool.acquire())
                                .subscribe(a);
                    } else if (op < 50) {
                        if (!outstanding.isEmpty()) {
                            Acquirer a = outstanding.remove(rnd.nextInt(outstanding.size()));
                            a.cancel();
                            cancels.increment();
                        }
                    } else if (op < 85) {
                        Lease<Resource> lease = held.poll();
                        if (lease != null) {
                            returnLease(lease, rnd.nextInt(10) == 0);
                            if (rnd.nextInt(50) == 0) {
                                lease.release().subscribe(); // misuse: a second release does nothing
                            }
                        }
                    } else if (op < 92) {
                        Disposable d = pool.withLease(res -> {
                            taken(res, true);
                            // doOnTerminate/doOnCancel run before usingWhen releases the object (doFinally would run after).
                            return Mono.just(res).doOnTerminate(() -> withLeaseEnded(res))
                                    .doOnCancel(() -> withLeaseEnded(res));
                        }).subscribe(null, e -> classify(e));
                        if (rnd.nextBoolean()) {
                            d.dispose();
                        }
                    } else {
                        int idleNow = pool.metrics().idle();
                        maxIdleSeen.accumulateAndGet(idleNow, Math::max);
                    }
                    ops++;
                }
            } finally {
                done.countDown();
            }
        }

        boolean allSettled() {
            return outstanding.stream().allMatch(Acquirer::terminated);
        }
    }

    /** A plain subscriber to one acquire; a received lease goes to the shared queue. */
    private final class Acquirer implements CoreSubscriber<Lease<Resource>> {
        private volatile Subscription subscription;
        private volatile boolean terminated;

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(Lease<Resource> lease) {
            leasesReceived.increment();
            taken(lease.get(), false);
            held.offer(lease);
        }

        @Override
        public void onError(Throwable t) {
            classify(t);
            terminated = true;
        }

        @Override
        public void onComplete() {
            terminated = true;
        }

        void cancel() {
            Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            terminated = true; // a cancelled acquire never signals again, or its lease is in `held`
        }

        boolean terminated() {
            return terminated;
        }
    }
}
