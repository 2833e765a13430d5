package dev.reactivepool.stress;

import java.time.Duration;
import java.util.concurrent.Executor;

import dev.reactivepool.Affinity;
import dev.reactivepool.Pool;
import dev.reactivepool.PoolBuilder;
import dev.reactivepool.stress.StressRun.Resource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

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

    private static final int OPS_PER_THREAD = 500_000;
    private static final int MAX_SIZE = 8;
    private static final int MAX_IDLE = 6;

    /** One lease per object: a second holder is a violation. */
    private final StressRun run = new StressRun(OPS_PER_THREAD) {
        @Override
        void taken(Resource res, boolean inWithLease) {
            if (res.holders.incrementAndGet() != 1) {
                violation(inWithLease ? "object held by two leases (withLease)" : "object held by two leases");
            }
        }

        @Override
        void returned(Resource res) {
            if (res.holders.decrementAndGet() != 0) {
                violation("object held by two leases");
            }
        }

        @Override
        void withLeaseEnded(Resource res) {
            res.holders.decrementAndGet();
        }
    };

    @ParameterizedTest(name = "affinity {0}")
    @EnumSource(Affinity.class)
    void randomOperationsKeepEveryInvariant(Affinity affinity) throws Exception {
        Scheduler timer = Schedulers.newParallel("stress-timer", 2);
        // EXECUTOR: objects belong to one of two single-threaded executors that never acquire, so
        // every acquire steals and every release offers to a lane it does not own.
        Scheduler[] loops = {Schedulers.newSingle("stress-loop-0"), Schedulers.newSingle("stress-loop-1")};
        Executor[] executors = {loops[0]::schedule, loops[1]::schedule};
        PoolBuilder<Resource> builder = StressRun.churn(Pool.builder(run.allocator(timer)), timer);
        if (affinity == Affinity.EXECUTOR) {
            builder.affinity(res -> executors[System.identityHashCode(res) & 1]);
        }
        Pool<Resource> pool = builder
                .name("stress")
                .maxSize(MAX_SIZE).maxIdle(MAX_IDLE).minIdle(2).maxPending(64)
                .acquireTimeout(Duration.ofMillis(20))
                .createTimeout(Duration.ofMillis(200))
                .validator(res -> StressRun.randomVerdict(timer))
                .skipValidationWithin(Duration.ofNanos(20_000))
                .resetter(res -> StressRun.randomReset())
                .destroyer(run::destroy)
                .affinity(affinity) // EXECUTOR keeps the function set above
                .build();

        long opsDone = run.runWorkers(pool);
        StressRun.Quiet quiet = run.awaitQuiescence(pool);
        run.report(opsDone, "", quiet.metrics());

        run.assertBounds(MAX_SIZE, MAX_IDLE);
        run.assertQuiet(quiet);

        run.closeAndAssertAllDestroyed(pool);
        timer.dispose();
        loops[0].dispose();
        loops[1].dispose();
    }
}
