package dev.reactivepool.stress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.reactivepool.Pool;
import dev.reactivepool.PoolMetrics;
import dev.reactivepool.stress.StressRun.Resource;
import org.junit.jupiter.api.Test;
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
 * The operations and the invariants of every pool are those of {@link PoolStressTest}.
 */
class SharedLeasesStressTest {

    private static final int OPS_PER_THREAD = 300_000;
    private static final int MAX_SIZE = 4;
    private static final int MAX_IDLE = 3;
    private static final int K = 3;

    private final AtomicInteger leasesHeld = new AtomicInteger();
    private final AtomicInteger maxLeasesHeld = new AtomicInteger();
    private final AtomicInteger maxHoldersSeen = new AtomicInteger();

    /** Up to K leases per object, and K * maxSize leases in all. */
    private final StressRun run = new StressRun(OPS_PER_THREAD) {
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
        Pool<Resource> pool = StressRun.churn(Pool.builder(run.allocator(timer)), timer)
                .name("stress")
                .maxSize(MAX_SIZE).maxIdle(MAX_IDLE).minIdle(2).maxPending(64)
                .acquireTimeout(Duration.ofMillis(20))
                .createTimeout(Duration.ofMillis(200))
                .maxLeasesPerObject(K)
                .validator(res -> {
                    if (res.holders.get() != 0) {
                        run.violation("validated while leased");
                    }
                    return StressRun.randomVerdict(timer);
                })
                .skipValidationWithin(Duration.ofNanos(20_000))
                .resetter(res -> {
                    if (res.holders.get() != 0) {
                        run.violation("reset while leased");
                    }
                    return StressRun.randomReset();
                })
                .destroyer(run::destroy)
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
