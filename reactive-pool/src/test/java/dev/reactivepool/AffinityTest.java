package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.subscriber.TestSubscriber;

/**
 * docs/affinity.md: with {@link Affinity#THREAD} or {@link Affinity#EXECUTOR}, an acquire on a
 * thread is served first by an idle object of that thread (or executor), otherwise by the object
 * idle longest elsewhere; nobody waits while an object is idle anywhere; waiters, maxIdle,
 * eviction and close keep their meaning.
 */
class AffinityTest {

    private final PoolFixture fixture = new PoolFixture();
    private final Scheduler loopA = Schedulers.newSingle("loop-a");
    private final Scheduler loopB = Schedulers.newSingle("loop-b");
    private final Scheduler loopC = Schedulers.newSingle("loop-c");

    @AfterEach
    void close() {
        fixture.close();
        loopA.dispose();
        loopB.dispose();
        loopC.dispose();
    }

    private static <V> V on(Scheduler loop, Callable<V> task) throws Exception {
        CompletableFuture<V> result = new CompletableFuture<>();
        loop.schedule(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }

    private static Res acquireOn(Scheduler loop, Pool<Res> pool) throws Exception {
        return leaseOn(loop, pool).get();
    }

    private static Lease<Res> leaseOn(Scheduler loop, Pool<Res> pool) throws Exception {
        return on(loop, () -> now(pool.acquire()));
    }

    private static void releaseOn(Scheduler loop, Lease<Res> lease) throws Exception {
        on(loop, () -> {
            TestSubscriber<Void> done = subscribe(lease.release());
            assertThat(done.isTerminatedComplete()).as("released synchronously").isTrue();
            return null;
        });
    }

    /**
     * Leaves Res#1 idle on loop A, then (a second of coarse clock later) Res#2 idle on loop B: in
     * global FIFO order Res#1 comes first everywhere.
     */
    private Pool<Res> poolWithOneIdleObjectPerLoop(Affinity affinity) throws Exception {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2).affinity(affinity));
        Lease<Res> first = leaseOn(loopA, pool);
        Lease<Res> second = leaseOn(loopB, pool);
        assertThat(first.get().id).isEqualTo(1);
        releaseOn(loopA, first);
        fixture.advance(Duration.ofSeconds(1)); // housekeeping moves the coarse clock: Res#1 is idle longer
        releaseOn(loopB, second);
        assertThat(pool.metrics().idle()).isEqualTo(2);
        return pool;
    }

    @Test
    void anAcquireOnALoopGetsTheIdleObjectOfThatLoop() throws Exception {
        Pool<Res> pool = poolWithOneIdleObjectPerLoop(Affinity.THREAD);

        assertThat(acquireOn(loopB, pool).id).as("loop B's own object, though Res#1 is idle longer").isEqualTo(2);
        assertThat(acquireOn(loopA, pool).id).isEqualTo(1);
    }

    @Test
    void withoutAffinityTheObjectIdleLongestComesFirstWhateverTheThread() throws Exception {
        Pool<Res> pool = poolWithOneIdleObjectPerLoop(Affinity.NONE);

        assertThat(acquireOn(loopB, pool).id).isEqualTo(1);
    }

    @Test
    void aLoopWithoutIdleObjectsStealsTheObjectIdleLongestElsewhere() throws Exception {
        Pool<Res> pool = poolWithOneIdleObjectPerLoop(Affinity.THREAD);

        assertThat(acquireOn(loopC, pool).id).as("a loop with no object of its own: the oldest").isEqualTo(1);
        assertThat(acquireOn(loopC, pool).id).isEqualTo(2);
        assertThat(fixture.created).as("nothing created while objects were idle").hasValue(2);
    }

    @Test
    void noAcquirerWaitsWhileAnotherLoopHasAnIdleObject() throws Exception {
        Pool<Res> pool = poolWithOneIdleObjectPerLoop(Affinity.THREAD);
        Lease<Res> own = leaseOn(loopA, pool);
        assertThat(own.get().id).isEqualTo(1);

        // Loop A has nothing left and the pool is at maxSize: the object of loop B is taken at once.
        Lease<Res> stolen = leaseOn(loopA, pool);

        assertThat(stolen.get().id).isEqualTo(2);
        assertThat(pool.metrics().pending()).isZero();
        assertThat(fixture.created).hasValue(2);
    }

    @Test
    void aWaiterIsServedByAReleaseOnAnyLoop() throws Exception {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).affinity(Affinity.THREAD));
        Lease<Res> held = leaseOn(loopA, pool);
        TestSubscriber<Lease<Res>> waiter = on(loopB, () -> subscribe(pool.acquire()));
        assertThat(waiter.getReceivedOnNext()).isEmpty();

        releaseOn(loopA, held);

        assertThat(waiter.getReceivedOnNext()).hasSize(1);
        assertThat(pool.metrics().pending()).isZero();
    }

    @Test
    void waitersAreStillServedInArrivalOrder() throws Exception {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).affinity(Affinity.THREAD));
        Lease<Res> held = leaseOn(loopA, pool);
        List<TestSubscriber<Lease<Res>>> waiters = new ArrayList<>();
        Scheduler[] loops = {loopB, loopA, loopC};
        for (Scheduler loop : loops) {
            waiters.add(on(loop, () -> subscribe(pool.acquire())));
        }

        Lease<Res> current = held;
        for (int i = 0; i < loops.length; i++) {
            releaseOn(i % 2 == 0 ? loopA : loopC, current);
            for (int j = 0; j < waiters.size(); j++) {
                assertThat(waiters.get(j).getReceivedOnNext()).as("waiter " + j + " after release " + i)
                        .hasSize(j <= i ? 1 : 0);
            }
            current = waiters.get(i).getReceivedOnNext().get(0);
        }
        releaseOn(loopB, current);
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }

    @Test
    void maxIdleStaysPoolWide() throws Exception {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3).maxIdle(1).affinity(Affinity.THREAD));
        Lease<Res> a = leaseOn(loopA, pool);
        Lease<Res> b = leaseOn(loopB, pool);
        Lease<Res> c = leaseOn(loopC, pool);

        releaseOn(loopA, a);
        releaseOn(loopB, b);
        releaseOn(loopC, c);

        assertThat(pool.metrics().idle()).isEqualTo(1);
        assertThat(fixture.destroyed).hasValue(2);
    }

    @Test
    void idleTimeoutEvictsInEveryLaneAndEvictionKeepsTheOthersInTheirLane() throws Exception {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2).affinity(Affinity.THREAD)
                .idleTimeout(Duration.ofSeconds(10)));
        Lease<Res> first = leaseOn(loopA, pool);
        Lease<Res> second = leaseOn(loopB, pool);
        releaseOn(loopA, first);
        fixture.advance(Duration.ofSeconds(6));
        releaseOn(loopB, second);

        fixture.advance(Duration.ofSeconds(5)); // Res#1 idle 11 s: evicted; Res#2 idle 5 s: put back

        assertThat(fixture.destroyed).hasValue(1);
        assertThat(pool.metrics().idle()).isEqualTo(1);
        assertThat(acquireOn(loopB, pool).id).as("kept in loop B's lane").isEqualTo(2);
    }

    @Test
    void closeDestroysTheIdleObjectsOfEveryLane() throws Exception {
        Pool<Res> pool = poolWithOneIdleObjectPerLoop(Affinity.THREAD);

        pool.close().block(Duration.ofSeconds(5));

        assertThat(fixture.destroyed).hasValue(2);
        assertThat(pool.metrics().total()).isZero();
    }

    @Test
    void executorAffinityServesAnObjectOnItsOwnExecutorWhereverItWasReleased() throws Exception {
        Executor executorA = loopA::schedule;
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2)
                // a new Executor object per call, as r2dbc-postgresql's Scheduler per connection:
                // lanes are keyed by the executor's thread, not by the executor object
                .affinity(res -> res.id == 1 ? executorA : task -> loopB.schedule(task)));
        Lease<Res> first = now(pool.acquire());
        Lease<Res> second = now(pool.acquire());
        first.release().block(Duration.ofSeconds(5)); // released on the test thread
        second.release().block(Duration.ofSeconds(5));
        on(loopA, () -> null); // the tasks that learn each object's thread ran before these
        on(loopB, () -> null);
        // From its next release on, an object goes to its executor's lane, wherever it is released.
        first = now(pool.acquire());
        second = now(pool.acquire());
        first.release().block(Duration.ofSeconds(5));
        fixture.advance(Duration.ofSeconds(1));
        second.release().block(Duration.ofSeconds(5));

        assertThat(acquireOn(loopB, pool).id).as("Res#2 lives on loop B").isEqualTo(2);
        assertThat(acquireOn(loopC, pool).id).as("loop C has no executor: steals").isEqualTo(1);
    }

    @Test
    void anExecutorFunctionThatThrowsLeavesTheObjectReachable() throws Exception {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1)
                .affinity(res -> {
                    throw new IllegalStateException("no loop");
                }));
        now(pool.acquire()).release().block(Duration.ofSeconds(5));

        assertThat(acquireOn(loopA, pool).id).isEqualTo(1);
    }

    @Test
    void badAffinityOptionsAreRejectedAtBuild() {
        InvalidPoolConfigurationException none = catchThrowableOfType(InvalidPoolConfigurationException.class,
                () -> Pool.builder(Mono.just(1)).affinity((Affinity) null).build());
        assertThat(none.option()).isEqualTo("affinity");
        assertThat(none).hasMessageContaining("NONE, THREAD or EXECUTOR");

        InvalidPoolConfigurationException noFunction = catchThrowableOfType(InvalidPoolConfigurationException.class,
                () -> Pool.builder(Mono.just(1)).affinity(Affinity.EXECUTOR).build());
        assertThat(noFunction.option()).isEqualTo("affinity");
        assertThat(noFunction).hasMessageContaining("affinity(Function)");

        InvalidPoolConfigurationException lifo = catchThrowableOfType(InvalidPoolConfigurationException.class,
                () -> Pool.builder(Mono.just(1)).affinity(Affinity.THREAD).idleOrder(IdleOrder.LIFO).build());
        assertThat(lifo.option()).isEqualTo("affinity");
        assertThat(lifo).hasMessageContaining("LIFO");
    }

    @Test
    void theIdleHitOnItsOwnLaneAllocatesOnlyTheLease() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().affinity(Affinity.THREAD));

        double bytesPerCycle = AllocationMeter.bytesPerAcquireAndRelease(pool);

        assertThat(bytesPerCycle).as("bytes allocated per acquire + release").isLessThanOrEqualTo(56.0);
        assertThat(fixture.created).hasValue(1);
    }
}
