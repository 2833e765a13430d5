package dev.reactivepool.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.reactivepool.AcquireTimeoutException;
import dev.reactivepool.Affinity;
import dev.reactivepool.Lease;
import dev.reactivepool.Pool;
import dev.reactivepool.PoolMetrics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Random acquires, releases, invalidations and cancellations from two threads while the same
 * threads call {@code evictAll}, {@code resize} (random limits up to maxSizeLimit),
 * {@code suspend} and {@code resume} at random; then quiescence. Checked with the test's own
 * accounting: live objects never exceed maxSizeLimit; an object is never held twice nor used
 * after its destruction; an acquire subscribed after an evictAll returned never gets an object
 * whose creation started before it; at quiescence nothing is lost (the pool's count is the test's)
 * and, after a final resize down, the bound holds at once for idle objects. Run with one idle
 * set (NONE) and with per-thread idle sets (THREAD), whose sweep and stealing differ.
 */
class OperationsStressTest {

    private static final int THREADS = 2;
    private static final int OPS_PER_THREAD = 40_000;
    private static final int LIMIT = 8;

    /** A pooled object that knows who holds it and when its creation started. */
    record Resource(int startedAs, AtomicInteger holders, AtomicBoolean destroyed) {
    }

    private final AtomicInteger subscriptions = new AtomicInteger();
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger maxLive = new AtomicInteger();
    private final AtomicInteger evictedUpTo = new AtomicInteger();
    private final AtomicInteger violations = new AtomicInteger();
    private final List<String> problems = new CopyOnWriteArrayList<>();

    private void violation(String what) {
        if (violations.incrementAndGet() <= 10) {
            problems.add(what);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Affinity.class, names = {"NONE", "THREAD"})
    void operationsUnderLoadLoseNothingAndKeepTheirPromises(Affinity affinity) throws Exception {
        Pool<Resource> pool = Pool.builder(Mono.fromSupplier(() -> {
                    Resource r = new Resource(subscriptions.incrementAndGet(), new AtomicInteger(), new AtomicBoolean());
                    maxLive.accumulateAndGet(live.incrementAndGet(), Math::max);
                    return r;
                }))
                .destroyer(r -> Mono.fromRunnable(() -> {
                    if (!r.destroyed().compareAndSet(false, true)) {
                        violation("destroyed twice");
                    }
                    live.decrementAndGet();
                }))
                .name("operations-stress-" + affinity).maxSize(4).maxSizeLimit(LIMIT).affinity(affinity)
                .acquireTimeout(Duration.ofMillis(20))
                .build();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(THREADS);
        for (int t = 0; t < THREADS; t++) {
            new Thread(() -> {
                try {
                    work(pool);
                } catch (Throwable e) {
                    errors.add(e);
                } finally {
                    done.countDown();
                }
            }, "operations-stress-" + t).start();
        }
        assertThat(done.await(5, TimeUnit.MINUTES)).isTrue();
        assertThat(errors).isEmpty();

        pool.resume();
        pool.resize(LIMIT, LIMIT, 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            PoolMetrics m = pool.metrics();
            return m.creating() == 0 && m.leased() == 0 && m.total() == live.get();
        });
        assertThat(problems).isEmpty();
        assertThat(violations.get()).isZero();
        assertThat(maxLive.get()).as("live objects, ever").isLessThanOrEqualTo(LIMIT);
        PoolMetrics m = pool.metrics();
        assertThat(m.idle()).as("nothing lost: every live object is idle").isEqualTo(live.get());

        pool.resize(2, 2, 0);
        assertThat(live.get()).as("idle surplus destroyed at once").isLessThanOrEqualTo(2);
        pool.close().block(Duration.ofSeconds(10));
        assertThat(live.get()).isZero();
        System.out.println("operations stress: " + m.acquired() + " leases, " + m.evicted() + " evicted, "
                + m.acquireTimeouts() + " acquire timeouts, " + m.created() + " created");
    }

    private void work(Pool<Resource> pool) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < OPS_PER_THREAD; i++) {
            int dice = random.nextInt(1000);
            if (dice < 3) {
                int started = subscriptions.get(); // creations started before the call below
                pool.evictAll();
                evictedUpTo.accumulateAndGet(started, Math::max);
            } else if (dice < 8) {
                int maxSize = 1 + random.nextInt(LIMIT);
                int maxIdle = random.nextInt(maxSize + 1);
                pool.resize(maxSize, maxIdle, random.nextInt(maxIdle + 1));
            } else if (dice < 10) {
                pool.suspend();
            } else if (dice < 14) {
                pool.resume();
            } else if (dice < 60) {
                // cancelled at once, or served (and then released) before the cancel
                Disposable cancelled = pool.acquire().subscribe(lease -> lease.release().subscribe(), error -> { });
                cancelled.dispose();
            } else {
                int before = evictedUpTo.get();
                Lease<Resource> lease;
                try {
                    lease = pool.acquire().block(Duration.ofSeconds(10));
                } catch (AcquireTimeoutException timedOut) {
                    pool.resume(); // an operator notices the stall
                    continue;
                }
                Resource r = lease.get();
                if (r.startedAs() <= before) {
                    violation("an object created before an evictAll was handed out after it");
                }
                if (r.destroyed().get()) {
                    violation("a destroyed object was handed out");
                }
                if (!r.holders().compareAndSet(0, 1)) {
                    violation("an object held twice");
                }
                r.holders().set(0);
                (dice < 100 ? lease.invalidate() : lease.release()).block(Duration.ofSeconds(10));
            }
        }
    }
}
