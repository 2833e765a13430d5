package dev.reactivepool.stress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.reactivepool.AcquireTimeoutException;
import dev.reactivepool.Affinity;
import dev.reactivepool.Lease;
import dev.reactivepool.Pool;
import dev.reactivepool.PoolBuilder;
import dev.reactivepool.PoolExhaustedException;
import dev.reactivepool.PoolMetrics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One million random operations from two threads against one small pool whose allocator fails
 * or is slow at random, whose validator and resetter fail at random, with acquire timeouts,
 * cancellations at random moments, invalidations and short lifetimes, then quiescence and the
 * pool's invariants, checked with the test's own accounting (never with the pool's own view
 * alone):
 * <ul>
 *   <li>live objects (made by the allocator and not yet destroyed) never exceeded maxSize;</li>
 *   <li>an object was never held by two leases at once, never destroyed twice, never used dead;</li>
 *   <li>idle never exceeded maxIdle (sampled);</li>
 *   <li>at quiescence: created - destroyed == idle + leased, with leased == 0 (no lease lost);</li>
 *   <li>after close: created == destroyed.</li>
 * </ul>
 */
class PoolStressTest {

    private static final int THREADS = 2;
    private static final int OPS_PER_THREAD = 500_000;
    private static final int MAX_SIZE = 8;
    private static final int MAX_IDLE = 6;
    private static final int MAX_OUTSTANDING = 24;

    /** A pooled object that knows who holds it. */
    static final class Resource {
        final AtomicInteger holders = new AtomicInteger();
        final AtomicBoolean destroyed = new AtomicBoolean();
    }

    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger maxLive = new AtomicInteger();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong destroyed = new AtomicLong();
    private final AtomicInteger maxIdleSeen = new AtomicInteger();
    private final LongAdder leasesReceived = new LongAdder();
    private final LongAdder cancels = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder rejections = new LongAdder();
    private final LongAdder creationErrors = new LongAdder();
    private final Queue<String> violations = new ConcurrentLinkedQueue<>();
    private final Queue<Lease<Resource>> held = new ConcurrentLinkedQueue<>();

    @ParameterizedTest(name = "affinity {0}")
    @EnumSource(Affinity.class)
    void randomOperationsKeepEveryInvariant(Affinity affinity) throws Exception {
        Scheduler timer = Schedulers.newParallel("stress-timer", 2);
        // EXECUTOR: objects belong to one of two single-threaded executors that never acquire, so
        // every acquire steals and every release offers to a lane it does not own.
        Scheduler[] loops = {Schedulers.newSingle("stress-loop-0"), Schedulers.newSingle("stress-loop-1")};
        java.util.concurrent.Executor[] executors = {loops[0]::schedule, loops[1]::schedule};
        Mono<Resource> allocator = Mono.defer(() -> {
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
        PoolBuilder<Resource> builder = Pool.builder(allocator);
        if (affinity == Affinity.EXECUTOR) {
            builder.affinity(res -> executors[System.identityHashCode(res) & 1]);
        }
        Pool<Resource> pool = builder
                .name("stress")
                .maxSize(MAX_SIZE).maxIdle(MAX_IDLE).minIdle(2).maxPending(64)
                .acquireTimeout(Duration.ofMillis(20))
                .createTimeout(Duration.ofMillis(200))
                .validator(res -> {
                    int r = ThreadLocalRandom.current().nextInt(100);
                    if (r < 4) {
                        return Mono.just(false);
                    }
                    return r < 8 ? Mono.just(true).delayElement(Duration.ofMillis(1), timer) : Mono.just(true);
                })
                .skipValidationWithin(Duration.ofNanos(20_000))
                .resetter(res -> ThreadLocalRandom.current().nextInt(100) < 2
                        ? Mono.error(new IllegalStateException("reset failed")) : Mono.empty())
                .destroyer(res -> Mono.fromRunnable(() -> {
                    if (!res.destroyed.compareAndSet(false, true)) {
                        violations.add("destroyed twice");
                    }
                    if (res.holders.get() != 0) {
                        violations.add("destroyed while leased");
                    }
                    live.decrementAndGet();
                    destroyed.incrementAndGet();
                }))
                .maxLifetime(Duration.ofMillis(40), Duration.ofMillis(10))
                .idleTimeout(Duration.ofMillis(15))
                .maxUses(50)
                .evictionInterval(Duration.ofMillis(5))
                .creationBackoff(Duration.ofMillis(1), Duration.ofMillis(4))
                .timerScheduler(timer)
                .affinity(affinity) // EXECUTOR keeps the function set above
                .build();

        List<Worker> workers = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(THREADS);
        long start = System.nanoTime();
        for (int i = 0; i < THREADS; i++) {
            Worker w = new Worker(pool, done);
            workers.add(w);
            Thread t = new Thread(w, "stress-worker-" + i);
            t.start();
        }
        assertThat(done.await(120, TimeUnit.SECONDS)).as("workers finished").isTrue();
        long opsDone = workers.stream().mapToLong(w -> w.ops).sum();

        // Quiescence: every acquire that was not cancelled terminates; every lease received is returned.
        // Eviction and minIdle refills keep running (lifetimes are tens of ms), so the figures are
        // captured together at a moment when nothing is in flight, and asserted on afterwards.
        java.util.concurrent.atomic.AtomicReference<PoolMetrics> quiet = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicLong liveAtQuiet = new java.util.concurrent.atomic.AtomicLong();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> {
            releaseAllHeld();
            boolean allTerminated = workers.stream().allMatch(Worker::allSettled);
            long liveBefore = created.get() - destroyed.get();
            PoolMetrics m = pool.metrics();
            long liveAfter = created.get() - destroyed.get();
            boolean still = allTerminated && held.isEmpty() && m.leased() == 0 && m.pending() == 0
                    && m.creating() == 0 && m.total() == m.idle() && liveBefore == liveAfter && liveAfter == m.total();
            if (still) {
                quiet.set(m);
                liveAtQuiet.set(liveAfter);
            }
            return still;
        });
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        PoolMetrics m = quiet.get();
        System.out.printf("stress: %d operations in %d ms on %d threads; leases=%d cancels=%d timeouts=%d "
                        + "rejections=%d creationErrors=%d maxLive=%d maxIdleSeen=%d%n%s%n", opsDone, elapsedMs, THREADS,
                leasesReceived.sum(), cancels.sum(), timeouts.sum(), rejections.sum(), creationErrors.sum(),
                maxLive.get(), maxIdleSeen.get(), m);

        assertThat(opsDone).isEqualTo((long) THREADS * OPS_PER_THREAD);
        assertThat(new java.util.TreeSet<>(violations)).as("ownership violations").isEmpty();
        assertThat(maxLive.get()).as("live objects never exceed maxSize").isLessThanOrEqualTo(MAX_SIZE);
        assertThat(maxIdleSeen.get()).as("idle never exceeds maxIdle").isLessThanOrEqualTo(MAX_IDLE);
        assertThat(m.leased()).as("no lease lost").isZero();
        assertThat(liveAtQuiet.get()).as("created - destroyed == idle + leased")
                .isEqualTo(m.idle() + m.leased());
        assertThat(leasesReceived.sum()).as("the run did real work").isGreaterThan(10_000);
        assertThat(cancels.sum()).isGreaterThan(1_000);

        pool.close().block(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> created.get() == destroyed.get());
        assertThat(live.get()).isZero();
        assertThat(pool.metrics().total()).isZero();
        timer.dispose();
        loops[0].dispose();
        loops[1].dispose();
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
            violations.add("leased a destroyed object");
        }
        if (res.holders.decrementAndGet() != 0) {
            violations.add("object held by two leases");
        }
        (invalidate ? lease.invalidate() : lease.release()).subscribe();
    }

    /** Issues random operations from one thread. */
    final class Worker implements Runnable {
        private final Pool<Resource> pool;
        private final CountDownLatch done;
        private final List<Acquirer> outstanding = new ArrayList<>();
        private final List<Acquirer> cancelled = new ArrayList<>();
        long ops;

        Worker(Pool<Resource> pool, CountDownLatch done) {
            this.pool = pool;
            this.done = done;
        }

        @Override
        public void run() {
            try {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int i = 0; i < OPS_PER_THREAD; i++) {
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
                            cancelled.add(a);
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
                            if (res.holders.incrementAndGet() != 1) {
                                violations.add("object held by two leases (withLease)");
                            }
                            // doOnTerminate/doOnCancel run before usingWhen releases the object (doFinally would run after).
                            return Mono.just(res).doOnTerminate(res.holders::decrementAndGet)
                                    .doOnCancel(res.holders::decrementAndGet);
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

    private void classify(Throwable e) {
        if (e instanceof AcquireTimeoutException) {
            timeouts.increment();
        } else if (e instanceof PoolExhaustedException) {
            rejections.increment();
        } else if ("backend down".equals(e.getMessage())
                || (e instanceof java.util.concurrent.TimeoutException && e.getMessage().contains("(createTimeout)"))) {
            creationErrors.increment(); // the allocator's error, or its timeout, reaches the acquirer that caused it
        } else {
            violations.add("unexpected error: " + e);
        }
    }

    /** A plain subscriber to one acquire; a received lease goes to the shared queue. */
    final class Acquirer implements CoreSubscriber<Lease<Resource>> {
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
            if (lease.get().holders.incrementAndGet() != 1) {
                violations.add("object held by two leases");
            }
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
