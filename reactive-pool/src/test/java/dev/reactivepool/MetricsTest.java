package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.release;
import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.subscriber.TestSubscriber;

/**
 * DESIGN "Observable": the metrics snapshot's gauges follow the pool's state and its counters
 * count what the {@link PoolMetrics} documentation says they count.
 */
class MetricsTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    @Test
    void newPoolReportsItsConfigurationAndZeros() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().name("inventory").maxSize(8).maxIdle(4));

        PoolMetrics m = pool.metrics();

        assertThat(m.name()).isEqualTo("inventory");
        assertThat(m.maxSize()).isEqualTo(8);
        assertThat(m.maxIdle()).isEqualTo(4);
        assertThat(List.of(m.idle(), m.leased(), m.pending(), m.creating(), m.total())).containsOnly(0);
        assertThat(List.of(m.acquired(), m.created(), m.destroyed(), m.evicted(), m.creationFailures(),
                m.validationFailures(), m.resetFailures(), m.destroyFailures(), m.acquireTimeouts(),
                m.rejections(), m.leaks())).containsOnly(0L);
        assertThat(m.acquireLatency().count()).isZero();
        assertThat(m.acquireLatency().meanNanos()).isZero();
        assertThat(m.holdTime().count()).isZero();
    }

    @Test
    void gaugesFollowAcquireAndRelease() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2));

        Lease<Res> a = now(pool.acquire());
        Lease<Res> b = now(pool.acquire());
        assertGauges(pool.metrics(), 0, 2, 0, 0, 2);

        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());
        assertGauges(pool.metrics(), 0, 2, 1, 0, 2);

        release(a);
        assertGauges(pool.metrics(), 0, 2, 0, 0, 2);
        assertThat(waiter.getReceivedOnNext()).hasSize(1);

        release(b);
        release(waiter.getReceivedOnNext().get(0));
        assertGauges(pool.metrics(), 2, 0, 0, 0, 2);
        assertThat(pool.metrics().acquired()).isEqualTo(3);
        assertThat(pool.metrics().created()).isEqualTo(2);
    }

    @Test
    void creatingGaugeCountsCreationsInFlight() {
        fixture.holdCreations();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3));
        subscribe(pool.acquire());
        subscribe(pool.acquire());

        assertGauges(pool.metrics(), 0, 0, 0, 2, 2);

        fixture.completeCreation();
        assertGauges(pool.metrics(), 0, 1, 0, 1, 2);
    }

    private static void assertGauges(PoolMetrics m, int idle, int leased, int pending, int creating, int total) {
        assertThat(m.idle()).as("idle").isEqualTo(idle);
        assertThat(m.leased()).as("leased").isEqualTo(leased);
        assertThat(m.pending()).as("pending").isEqualTo(pending);
        assertThat(m.creating()).as("creating").isEqualTo(creating);
        assertThat(m.total()).as("total").isEqualTo(total);
    }

    @Test
    void failureCountersCountEachKind() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3)
                .validator(r -> Mono.just(r.id != 1))
                .resetter(r -> r.id == 2 ? Mono.error(new IllegalStateException("dirty")) : Mono.empty())
                .destroyer(r -> r.id == 2 ? Mono.error(new IllegalStateException("close failed")) : Mono.empty()));
        List<Lease<Res>> leases = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            leases.add(now(pool.acquire()));
        }
        leases.forEach(PoolFixture::release); // #2's reset fails, its destroyer fails too

        now(pool.acquire()); // #1 fails validation, #3 is leased

        PoolMetrics m = pool.metrics();
        assertThat(m.resetFailures()).isEqualTo(1);
        assertThat(m.validationFailures()).isEqualTo(1);
        assertThat(m.destroyFailures()).isEqualTo(1);
        assertThat(m.destroyed()).as("a failed destroy still counts as destroyed").isEqualTo(2);
        assertThat(m.total()).isEqualTo(1);
        assertThat(m.creationFailures()).isZero();
    }

    @Test
    void creationFailuresTimeoutsAndRejectionsAreCounted() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).maxPending(1));
        Lease<Res> holder = now(pool.acquire());
        subscribe(pool.acquire(Duration.ofSeconds(1)));
        subscribe(pool.acquire()).expectTerminalError(); // rejected
        fixture.advance(Duration.ofSeconds(1)); // the waiter times out
        holder.invalidate().block(Duration.ofSeconds(5));
        fixture.failCreations(new IllegalStateException("down"));
        subscribe(pool.acquire()).expectTerminalError(); // creation failure

        PoolMetrics m = pool.metrics();
        assertThat(m.rejections()).isEqualTo(1);
        assertThat(m.acquireTimeouts()).isEqualTo(1);
        assertThat(m.creationFailures()).isEqualTo(1);
        assertThat(m.acquired()).isEqualTo(1);
        assertThat(m.destroyed()).isEqualTo(1);
        assertThat(m.evicted()).as("invalidation is not an eviction").isZero();
    }

    @Test
    void evictedCountsIdleCapIdleTimeoutLifetimeAndMaxUses() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(4).maxIdle(3).maxUses(2)
                .idleTimeout(Duration.ofSeconds(10)).evictionInterval(Duration.ofSeconds(1)));
        List<Lease<Res>> leases = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            leases.add(now(pool.acquire()));
        }
        leases.forEach(PoolFixture::release); // the fourth exceeds maxIdle: evicted
        assertThat(pool.metrics().evicted()).isEqualTo(1);

        release(now(pool.acquire())); // second use of #1: evicted on return
        assertThat(pool.metrics().evicted()).isEqualTo(2);

        fixture.advance(Duration.ofSeconds(12)); // #2 and #3 idle too long
        assertThat(pool.metrics().evicted()).isEqualTo(4);
        assertThat(pool.metrics().destroyed()).isEqualTo(4);
        assertThat(pool.metrics().total()).isZero();
    }

    @Test
    void acquireLatencyIsRecordedForEveryLease() {
        fixture.holdCreations();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder());
        TestSubscriber<Lease<Res>> slow = subscribe(pool.acquire());
        fixture.completeCreation();
        release(slow.getReceivedOnNext().get(0));
        release(now(pool.acquire())); // an idle hit, recorded as zero

        PoolMetrics.LatencySummary latency = pool.metrics().acquireLatency();

        assertThat(latency.count()).isEqualTo(2);
        assertThat(latency.maxNanos()).isGreaterThanOrEqualTo(latency.p50Nanos());
        assertThat(latency.totalNanos()).isGreaterThanOrEqualTo(latency.maxNanos());
    }

    @Test
    void holdTimeIsSampledAsConfigured() {
        Pool<Res> every = fixture.build(fixture.virtualTimeBuilder().holdTimeSampling(1));
        Pool<Res> never = fixture.build(fixture.virtualTimeBuilder().holdTimeSampling(0));
        Pool<Res> sampled = fixture.build(fixture.virtualTimeBuilder().holdTimeSampling(4));

        for (int i = 0; i < 8; i++) {
            release(now(every.acquire()));
            release(now(never.acquire()));
            release(now(sampled.acquire()));
        }

        assertThat(every.metrics().holdTime().count()).isEqualTo(8);
        assertThat(never.metrics().holdTime().count()).isZero();
        // Leases 4 and 8 of the one object, and its first lease in this tick of the coarse clock.
        assertThat(sampled.metrics().holdTime().count()).isEqualTo(3);
    }

    @Test
    void eachObjectsFirstLeaseInEachTickIsTimedWhateverTheSampling() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2).holdTimeSampling(1_000)
                .evictionInterval(Duration.ofSeconds(1)));

        for (int tick = 0; tick < 5; tick++) {
            Lease<Res> a = now(pool.acquire());
            Lease<Res> b = now(pool.acquire());
            release(a);
            release(b);
            release(now(pool.acquire())); // the same tick again: not timed
            fixture.advance(Duration.ofSeconds(1));
        }

        assertThat(pool.metrics().acquired()).isEqualTo(15);
        assertThat(pool.metrics().holdTime().count()).as("two objects, five ticks").isEqualTo(10);
    }

    @Test
    void countersOnlyGrow() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2).maxIdle(1));
        PoolMetrics previous = pool.metrics();
        for (int i = 0; i < 20; i++) {
            Lease<Res> a = now(pool.acquire());
            Lease<Res> b = now(pool.acquire());
            release(a);
            if (i % 2 == 0) {
                release(b);
            } else {
                b.invalidate().block(Duration.ofSeconds(5));
            }
            PoolMetrics m = pool.metrics();
            assertThat(m.acquired()).isGreaterThan(previous.acquired());
            assertThat(m.created()).isGreaterThanOrEqualTo(previous.created());
            assertThat(m.destroyed()).isGreaterThanOrEqualTo(previous.destroyed());
            assertThat(m.evicted()).isGreaterThanOrEqualTo(previous.evicted());
            assertThat(m.created() - m.destroyed()).isEqualTo(m.total());
            previous = m;
        }
    }

    /**
     * Leases are counted per object and summed by the snapshot; objects destroyed while a reader
     * sums must neither vanish from the count nor be counted twice.
     */
    @Test
    void acquiredStaysMonotonicAndExactWhileObjectsAreDestroyed() throws Exception {
        Pool<Res> pool = fixture.build(fixture.builder().maxSize(2).maxIdle(2).holdTimeSampling(0));
        int cyclesPerThread = 2_000;
        AtomicBoolean done = new AtomicBoolean();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            workers.add(new Thread(() -> {
                try {
                    for (int i = 0; i < cyclesPerThread; i++) {
                        Lease<Res> lease = now(pool.acquire());
                        if (i % 3 == 0) {
                            lease.invalidate().block(Duration.ofSeconds(5)); // destroyed: its count is folded
                        } else {
                            release(lease);
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        Thread reader = new Thread(() -> {
            long previous = 0;
            while (!done.get()) {
                PoolMetrics m = pool.metrics();
                if (m.acquired() < previous || m.acquired() > 2L * cyclesPerThread || m.leased() < 0
                        || m.leased() > 2) {
                    failures.add(new AssertionError("acquired " + previous + " then " + m.acquired()
                            + ", leased " + m.leased()));
                    return;
                }
                previous = m.acquired();
            }
        });
        reader.start();
        workers.forEach(Thread::start);
        for (Thread worker : workers) {
            worker.join(60_000);
        }
        done.set(true);
        reader.join(60_000);

        assertThat(failures).isEmpty();
        PoolMetrics m = pool.metrics();
        assertThat(m.acquired()).isEqualTo(2L * cyclesPerThread);
        assertThat(m.leased()).isZero();
        assertThat(m.destroyed()).isGreaterThanOrEqualTo(2L * ((cyclesPerThread + 2) / 3));
    }

    @Test
    void leakDetectionTimesTheHoldOfEveryLease() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().holdTimeSampling(0)
                .leakDetectionThreshold(Duration.ofMinutes(1)));

        for (int i = 0; i < 3; i++) {
            release(now(pool.acquire()));
        }

        assertThat(pool.metrics().holdTime().count()).isEqualTo(3);
    }

    @Test
    void anAcquireThatTimedOutBeforeItCouldQueueIsNotAlsoCountedAsRejected() {
        TimerFiresAtOnceScheduler timer = new TimerFiresAtOnceScheduler(fixture.clock);
        Pool<Res> pool = fixture.build(fixture.builder().maxSize(1).maxPending(0).timerScheduler(timer));
        now(pool.acquire()); // the pool is full, and nobody may wait
        timer.fireAtOnce(); // the next acquire times out as soon as its timer is armed

        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire(Duration.ofSeconds(1)));

        Throwable error = acquirer.expectTerminalError();
        PoolMetrics m = pool.metrics();
        assertThat(m.acquireTimeouts() + m.rejections()).as("one outcome, counted once").isEqualTo(1);
        assertThat(error).isInstanceOf(error instanceof AcquireTimeoutException
                ? AcquireTimeoutException.class : PoolExhaustedException.class);
    }
}
