package dev.reactivepool.stress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import dev.reactivepool.Pool;
import dev.reactivepool.PoolMetrics;
import dev.reactivepool.stress.StressRun.Resource;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * {@link PoolStressTest} with shared leases ({@code maxLeasesPerObject} 3): the same random
 * operations (failing and slow creations, validations and resets, timeouts, cancellations at
 * random moments, invalidations, short lifetimes, maxUses), with the invariants of sharing:
 * <ul>
 *   <li>an object never had more than k leases at once, leases in use never exceeded
 *       k &middot; maxSize and live objects never exceeded maxSize;</li>
 *   <li>an object is validated and reset only while it has no lease, destroyed only then and once;</li>
 *   <li>at quiescence no lease is lost (leases and leased objects both zero) and
 *       created - destroyed == idle;</li>
 * </ul>
 * The original's class comment follows for the operations themselves.
 *
 * <p>Random operations from two threads against one small pool whose allocator fails
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
class SharedLeasesStressTest {

    private static final int THREADS = 2;
    private static final int OPS_PER_THREAD = 300_000;
    private static final int MAX_SIZE = 4;
    private static final int MAX_IDLE = 3;
    private static final int K = 3;
    private static final int MAX_OUTSTANDING = 24;

    private final AtomicInteger leasesHeld = new AtomicInteger();
    private final AtomicInteger maxLeasesHeld = new AtomicInteger();
    private final AtomicInteger maxHoldersSeen = new AtomicInteger();

    /** Up to K leases per object, and K * maxSize leases in all. */
    private final StressRun run = new StressRun(THREADS, OPS_PER_THREAD, MAX_OUTSTANDING) {
        @Override
        void taken(Resource res, boolean inWithLease) {
            if (res.destroyed.get()) {
                violation("leased a destroyed object");
            }
            int holders = res.holders.incrementAndGet();
            maxHoldersSeen.accumulateAndGet(holders, Math::max);
            if (holders > K) {
                violation("more than k leases on one object");
            }
            maxLeasesHeld.accumulateAndGet(leasesHeld.incrementAndGet(), Math::max);
        }

        @Override
        void returned(Resource res) {
            if (res.holders.decrementAndGet() < 0) {
                violation("more returns than leases");
            }
            leasesHeld.decrementAndGet();
        }

        @Override
        void withLeaseEnded(Resource res) {
            res.holders.decrementAndGet();
            leasesHeld.decrementAndGet();
        }
    };

    @Test
    void randomOperationsKeepEveryInvariant() throws Exception {
        Scheduler timer = Schedulers.newParallel("stress-timer", 2);
        Pool<Resource> pool = Pool.builder(run.allocator(timer))
                .name("stress")
                .maxSize(MAX_SIZE).maxIdle(MAX_IDLE).minIdle(2).maxPending(64)
                .acquireTimeout(Duration.ofMillis(20))
                .createTimeout(Duration.ofMillis(200))
                .maxLeasesPerObject(K)
                .validator(res -> {
                    if (res.holders.get() != 0) {
                        run.violation("validated while leased");
                    }
                    int r = ThreadLocalRandom.current().nextInt(100);
                    if (r < 4) {
                        return Mono.just(false);
                    }
                    return r < 8 ? Mono.just(true).delayElement(Duration.ofMillis(1), timer) : Mono.just(true);
                })
                .skipValidationWithin(Duration.ofNanos(20_000))
                .resetter(res -> {
                    if (res.holders.get() != 0) {
                        run.violation("reset while leased");
                    }
                    return ThreadLocalRandom.current().nextInt(100) < 2
                            ? Mono.error(new IllegalStateException("reset failed")) : Mono.empty();
                })
                .destroyer(run::destroy)
                .maxLifetime(Duration.ofMillis(40), Duration.ofMillis(10))
                .idleTimeout(Duration.ofMillis(15))
                .maxUses(50)
                .evictionInterval(Duration.ofMillis(5))
                .creationBackoff(Duration.ofMillis(1), Duration.ofMillis(4))
                .timerScheduler(timer)
                .build();

        long opsDone = run.runWorkers(pool);
        StressRun.Quiet quiet = run.awaitQuiescence(pool);
        PoolMetrics m = quiet.metrics();
        run.report(opsDone, String.format(" maxLeasesHeld=%d maxHolders=%d", maxLeasesHeld.get(), maxHoldersSeen.get()), m);

        run.assertBounds(MAX_SIZE, MAX_IDLE);
        assertThat(maxHoldersSeen.get()).as("never more than k leases on one object").isLessThanOrEqualTo(K);
        assertThat(maxHoldersSeen.get()).as("objects were shared").isGreaterThan(1);
        assertThat(maxLeasesHeld.get()).as("leases in use never exceed k * maxSize").isLessThanOrEqualTo(K * MAX_SIZE);
        assertThat(leasesHeld.get()).isZero();
        assertThat(m.leases()).as("no lease lost").isZero();
        run.assertQuiet(quiet);

        run.closeAndAssertAllDestroyed(pool);
        timer.dispose();
    }
}
