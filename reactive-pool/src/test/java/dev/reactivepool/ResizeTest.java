package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.release;
import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import dev.reactivepool.PoolFixture.Res;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.test.subscriber.TestSubscriber;

/** {@link Pool#resize(int, int, int)} on a running pool. */
class ResizeTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    @Test
    void argumentsAreCheckedLikeTheBuildersOptionsAndNothingChangesOnError() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(4).maxSizeLimit(8).maxIdle(3).minIdle(1));

        InvalidPoolConfigurationException zero = catchThrowableOfType(InvalidPoolConfigurationException.class,
                () -> pool.resize(0));
        InvalidPoolConfigurationException aboveLimit = catchThrowableOfType(InvalidPoolConfigurationException.class,
                () -> pool.resize(9, 2, 0));
        InvalidPoolConfigurationException maxIdle = catchThrowableOfType(InvalidPoolConfigurationException.class,
                () -> pool.resize(5, 6, 0));
        InvalidPoolConfigurationException minIdle = catchThrowableOfType(InvalidPoolConfigurationException.class,
                () -> pool.resize(5, 2, 3));

        assertThat(zero.option()).isEqualTo("maxSize");
        assertThat(zero.getMessage()).contains("between 1 and maxSizeLimit (8)").contains("was 0");
        assertThat(aboveLimit.option()).isEqualTo("maxSize");
        assertThat(aboveLimit.getMessage()).contains("maxSizeLimit (8)").contains("was 9");
        assertThat(maxIdle.option()).isEqualTo("maxIdle");
        assertThat(maxIdle.getMessage()).contains("between 0 and maxSize (5)").contains("was 6");
        assertThat(minIdle.option()).isEqualTo("minIdle");
        assertThat(minIdle.getMessage()).contains("between 0 and maxIdle (2)").contains("was 3");
        assertThat(pool.metrics().maxSize()).isEqualTo(4);
        assertThat(pool.metrics().maxIdle()).isEqualTo(3);
    }

    @Test
    void theBuilderChecksMaxSizeLimitAgainstMaxSize() {
        InvalidPoolConfigurationException error = catchThrowableOfType(InvalidPoolConfigurationException.class,
                () -> fixture.builder().maxSize(5).maxSizeLimit(4).build());
        InvalidPoolConfigurationException tooLarge = catchThrowableOfType(InvalidPoolConfigurationException.class,
                () -> fixture.builder().maxSizeLimit(100_001).build());

        assertThat(error.option()).isEqualTo("maxSizeLimit");
        assertThat(error.getMessage()).contains("between maxSize (5) and 100000").contains("was 4");
        assertThat(tooLarge.option()).isEqualTo("maxSizeLimit");
    }

    @Test
    void oneArgumentResizeCarriesMaxIdleAndMinIdleAlong() {
        Pool<Res> uncapped = fixture.build(fixture.virtualTimeBuilder().maxSize(4).maxSizeLimit(8));
        uncapped.resize(8);
        assertThat(uncapped.metrics().maxIdle()).as("follows maxSize when it was equal").isEqualTo(8);

        Pool<Res> capped = fixture.build(fixture.virtualTimeBuilder().name("capped").maxSize(6).maxIdle(4).minIdle(3));
        capped.resize(2);
        assertThat(capped.metrics().maxSize()).isEqualTo(2);
        assertThat(capped.metrics().maxIdle()).as("lowered to maxSize").isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(IdleOrder.class)
    void shrinkingDestroysIdleSurplusAtOnceAndLeasedSurplusWhenReturned(IdleOrder order) {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(6).idleOrder(order));
        List<Lease<Res>> leases = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            leases.add(now(pool.acquire()));
        }
        for (int i = 0; i < 3; i++) {
            release(leases.remove(0));
        }
        assertThat(pool.metrics().idle()).isEqualTo(3);

        pool.resize(2);

        assertThat(pool.metrics().idle()).as("idle surplus destroyed now").isZero();
        assertThat(fixture.live()).isEqualTo(3);
        release(leases.remove(0));
        assertThat(fixture.live()).as("a returned surplus object is destroyed").isEqualTo(2);
        release(leases.remove(0));
        release(leases.remove(0));
        assertThat(fixture.live()).isEqualTo(2);
        assertThat(pool.metrics().idle()).isEqualTo(2);
        assertThat(pool.metrics().total()).isEqualTo(2);

        Lease<Res> a = now(pool.acquire());
        Lease<Res> b = now(pool.acquire());
        TestSubscriber<Lease<Res>> third = subscribe(pool.acquire());
        assertThat(third.getReceivedOnNext()).as("the new bound holds").isEmpty();
        assertThat(fixture.created.get()).isEqualTo(6);
        release(a);
        assertThat(third.getReceivedOnNext()).hasSize(1);
        release(b);
        release(third.getReceivedOnNext().get(0));
    }

    @Test
    void growingServesWaitersAtOnceByCreating() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2).maxSizeLimit(4));
        now(pool.acquire());
        now(pool.acquire());
        TestSubscriber<Lease<Res>> w1 = subscribe(pool.acquire());
        TestSubscriber<Lease<Res>> w2 = subscribe(pool.acquire());
        TestSubscriber<Lease<Res>> w3 = subscribe(pool.acquire());

        pool.resize(4);

        assertThat(w1.getReceivedOnNext()).hasSize(1);
        assertThat(w2.getReceivedOnNext()).hasSize(1);
        assertThat(w3.getReceivedOnNext()).as("still bounded by the new maxSize").isEmpty();
        assertThat(fixture.created.get()).isEqualTo(4);
        assertThat(pool.metrics().maxSize()).isEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(IdleOrder.class)
    void loweringMaxIdleOfAnUncappedPoolCapsTheIdleSetFromNowOn(IdleOrder order) {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(6).idleOrder(order));
        List<Lease<Res>> leases = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            leases.add(now(pool.acquire()));
        }
        leases.forEach(PoolFixture::release);
        assertThat(pool.metrics().idle()).isEqualTo(6);

        pool.resize(6, 2, 0);

        assertThat(pool.metrics().idle()).isEqualTo(2);
        assertThat(fixture.live()).isEqualTo(2);
        leases.clear();
        for (int i = 0; i < 6; i++) {
            leases.add(now(pool.acquire()));
        }
        leases.forEach(PoolFixture::release);
        assertThat(pool.metrics().idle()).as("the idle cap applies to later releases").isEqualTo(2);
        assertThat(fixture.live()).isEqualTo(2);

        pool.resize(6, 6, 0); // uncapped again: releases are no longer counted
        leases.clear();
        for (int i = 0; i < 6; i++) {
            leases.add(now(pool.acquire()));
        }
        leases.forEach(PoolFixture::release);
        assertThat(pool.metrics().idle()).isEqualTo(6);
    }

    @Test
    void raisingMinIdleRefillsAtOnce() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(4));

        pool.resize(4, 4, 3);

        assertThat(pool.metrics().idle()).isEqualTo(3);
        assertThat(fixture.created.get()).isEqualTo(3);
    }

    @Test
    void shrinkingUnderLoadNeverExceedsTheNewBoundOnceTheSurplusHasReturned() throws Exception {
        Pool<Res> pool = fixture.build(fixture.builder().maxSize(8).acquireTimeout(Duration.ofSeconds(20)));
        int threads = 6;
        AtomicIntegerArray cycles = new AtomicIntegerArray(threads);
        AtomicBoolean settled = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger maxAfterSettling = new AtomicInteger();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int me = t;
            Thread worker = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        Lease<Res> lease = pool.acquire().block(Duration.ofSeconds(20));
                        if (settled.get()) {
                            maxAfterSettling.accumulateAndGet(fixture.liveOrCreating(), Math::max);
                        }
                        lease.release().block(Duration.ofSeconds(20)); // completes after a surplus destroy ended
                        cycles.incrementAndGet(me);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                } finally {
                    done.countDown();
                }
            }, "resize-worker-" + t);
            worker.start();
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> cycles.get(0) > 500);
        assertThat(fixture.maxLiveOrCreating()).isGreaterThan(3);

        pool.resize(3);
        int[] atResize = new int[threads];
        for (int t = 0; t < threads; t++) {
            atResize[t] = cycles.get(t);
        }
        // Each worker held at most one lease at the call; two more cycles each and it has returned.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (int t = 0; t < threads; t++) {
                if (cycles.get(t) < atResize[t] + 2) {
                    return false;
                }
            }
            return true;
        });
        assertThat(fixture.liveOrCreating()).isLessThanOrEqualTo(3);
        settled.set(true);
        int target = cycles.get(0) + 500;
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> cycles.get(0) >= target);
        stop.set(true);
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();

        assertThat(errors).isEmpty();
        assertThat(maxAfterSettling.get()).as("live objects after settling").isBetween(1, 3);
        PoolMetrics m = pool.metrics();
        assertThat(m.total()).isEqualTo(fixture.live()).isLessThanOrEqualTo(3);
        assertThat(m.leased()).isZero();
        assertThat(m.idle()).isEqualTo(m.total());
    }
}
