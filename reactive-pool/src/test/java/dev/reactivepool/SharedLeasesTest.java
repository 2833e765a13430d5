package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.release;
import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.subscriber.TestSubscriber;

/**
 * {@link PoolBuilder#maxLeasesPerObject(int)}: several leases share one object; a new object only
 * when every live one is full; least-leased first; validation on the first lease, reset after the
 * last; invalidation, lifetime and maxUses close an object to new leases and destroy it after its
 * last lease; idle objects are those without a lease.
 */
class SharedLeasesTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    private static Map<Integer, Integer> leasesPerObject(List<Lease<Res>> leases) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (Lease<Res> lease : leases) {
            counts.merge(lease.get().id, 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void twelveHoldersUseExactlyThreeObjectsAndTheThirteenthWaits() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3).maxLeasesPerObject(4));
        List<Lease<Res>> leases = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            leases.add(now(pool.acquire()));
        }

        assertThat(leasesPerObject(leases)).hasSize(3).allSatisfy((id, n) -> assertThat(n).isEqualTo(4));
        assertThat(fixture.created).hasValue(3);
        PoolMetrics m = pool.metrics();
        assertThat(m.leased()).as("objects in use").isEqualTo(3);
        assertThat(m.leases()).as("leases in use").isEqualTo(12);
        assertThat(m.total()).isEqualTo(3);

        TestSubscriber<Lease<Res>> thirteenth = subscribe(pool.acquire());
        assertThat(thirteenth.getReceivedOnNext()).as("the 13th waits").isEmpty();
        assertThat(pool.metrics().pending()).isEqualTo(1);

        Lease<Res> returned = leases.remove(5);
        Res roomy = returned.get();
        release(returned);

        assertThat(thirteenth.getReceivedOnNext()).hasSize(1);
        assertThat(thirteenth.getReceivedOnNext().get(0).get()).as("the object that had room").isSameAs(roomy);
        assertThat(fixture.created).hasValue(3);
        assertThat(pool.metrics().pending()).isZero();
        assertThat(pool.metrics().leases()).isEqualTo(12);
    }

    @Test
    void twelveConcurrentHoldersFromTwoThreadsStayWithinThreeObjects() throws Exception {
        Pool<Res> pool = fixture.build(fixture.builder().maxSize(3).maxLeasesPerObject(4)
                .acquireTimeout(Duration.ofSeconds(10)));
        List<Lease<Res>> leases = new CopyOnWriteArrayList<>();
        CountDownLatch got = new CountDownLatch(12);
        for (int i = 0; i < 12; i++) {
            pool.acquire().subscribeOn(Schedulers.parallel()).subscribe(lease -> {
                leases.add(lease);
                got.countDown();
            });
        }
        assertThat(got.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(leasesPerObject(leases)).hasSize(3).allSatisfy((id, n) -> assertThat(n).isEqualTo(4));
        assertThat(fixture.maxLiveOrCreating()).isEqualTo(3);
        TestSubscriber<Lease<Res>> thirteenth = subscribe(pool.acquire());
        assertThat(thirteenth.getReceivedOnNext()).isEmpty();

        Res roomy = leases.get(0).get();
        release(leases.get(0));
        assertThat(thirteenth.getReceivedOnNext()).hasSize(1);
        assertThat(thirteenth.getReceivedOnNext().get(0).get()).isSameAs(roomy);
    }

    @Test
    void aNewObjectOnlyWhenEveryLiveObjectIsFull() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3).maxLeasesPerObject(2));
        Lease<Res> a1 = now(pool.acquire());
        Lease<Res> a2 = now(pool.acquire());
        assertThat(a2.get()).isSameAs(a1.get());
        assertThat(fixture.created).hasValue(1);

        Lease<Res> b1 = now(pool.acquire());
        assertThat(b1.get()).isNotSameAs(a1.get());
        assertThat(fixture.created).hasValue(2);
    }

    @Test
    void afterEvictAllNoAcquireJoinsAnOlderObjectAndItIsDestroyedWhenItsLastLeaseEnds() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3).maxLeasesPerObject(4));
        Lease<Res> old1 = now(pool.acquire());
        Lease<Res> old2 = now(pool.acquire());
        assertThat(old2.get()).isSameAs(old1.get());

        pool.evictAll();
        Lease<Res> fresh = now(pool.acquire());

        assertThat(fresh.get()).as("joins no object older than evictAll()").isNotSameAs(old1.get());
        assertThat(fixture.created).hasValue(2);
        old1.release().block(Duration.ofSeconds(5));
        old2.release().block(Duration.ofSeconds(5));
        assertThat(pool.metrics().evicted()).as("the old object, at its last release").isEqualTo(1);
        assertThat(pool.metrics().total()).isEqualTo(1);
    }

    @Test
    void loadSpreadsByLeastLeased() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3).minIdle(3).maxLeasesPerObject(4));
        assertThat(pool.warmup().block(Duration.ofSeconds(5))).isEqualTo(3);

        List<Lease<Res>> leases = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            leases.add(now(pool.acquire()));
        }
        assertThat(leasesPerObject(leases)).as("idle objects first: one lease each").hasSize(3);
        for (int i = 0; i < 3; i++) {
            leases.add(now(pool.acquire()));
        }
        assertThat(leasesPerObject(leases)).allSatisfy((id, n) -> assertThat(n).isEqualTo(2));

        // Take one lease off one object: it now has the fewest, and gets the next lease.
        Lease<Res> off = leases.get(1);
        Res lighter = off.get();
        leases.remove(off);
        release(off);
        Lease<Res> next = now(pool.acquire());
        assertThat(next.get()).isSameAs(lighter);
        leases.add(next);
        assertThat(leasesPerObject(leases)).allSatisfy((id, n) -> assertThat(n).isEqualTo(2));
        assertThat(fixture.created).hasValue(3);
    }

    @Test
    void validationOnTheFirstLeaseOnlyResetAfterTheLast() {
        List<Res> validated = new CopyOnWriteArrayList<>();
        List<Res> resets = new CopyOnWriteArrayList<>();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).maxLeasesPerObject(3)
                .validator(r -> Mono.fromSupplier(() -> validated.add(r)))
                .resetter(r -> Mono.fromRunnable(() -> resets.add(r))));
        release(now(pool.acquire())); // created (not validated), reset after its only lease
        assertThat(resets).hasSize(1);
        assertThat(validated).isEmpty();

        Lease<Res> first = now(pool.acquire());
        Lease<Res> second = now(pool.acquire());
        Lease<Res> third = now(pool.acquire());
        assertThat(validated).as("validated when the idle object got its first lease only").hasSize(1);
        assertThat(second.get()).isSameAs(first.get());
        assertThat(third.get()).isSameAs(first.get());

        release(first);
        release(third);
        assertThat(resets).as("not reset while other leases hold it").hasSize(1);
        release(second);
        assertThat(resets).as("reset after its last lease").hasSize(2);
        assertThat(pool.metrics().idle()).isEqualTo(1);
        assertThat(pool.metrics().leased()).isZero();
        assertThat(pool.metrics().leases()).isZero();
    }

    @Test
    void invalidationByOneHolderStopsNewLeasesAndDestroysAfterTheLastHolder() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).maxLeasesPerObject(3));
        Lease<Res> a = now(pool.acquire());
        Lease<Res> b = now(pool.acquire());
        Lease<Res> c = now(pool.acquire());
        Res shared = a.get();

        StepVerifier.create(a.invalidate()).verifyComplete();
        assertThat(a.isReleased()).isTrue();
        assertThatThrownBy(a::get).isInstanceOf(LeaseReleasedException.class);
        StepVerifier.create(a.invalidate()).verifyComplete(); // single-use: nothing more happens
        assertThat(shared.destroyed).as("the other holders keep it").isFalse();
        assertThat(b.get()).isSameAs(shared);
        assertThat(c.get()).isSameAs(shared);

        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());
        assertThat(waiter.getReceivedOnNext()).as("an invalidated object takes no new lease").isEmpty();

        release(b);
        assertThat(shared.destroyed).isFalse();
        assertThat(waiter.getReceivedOnNext()).isEmpty();
        release(c);
        assertThat(shared.destroyed).as("destroyed after its last holder").isTrue();
        assertThat(waiter.getReceivedOnNext()).hasSize(1);
        assertThat(waiter.getReceivedOnNext().get(0).get()).isNotSameAs(shared);
        assertThat(fixture.doubleDestroys).hasValue(0);
    }

    @Test
    void anObjectPastItsLifetimeTakesNoNewLeaseAndGoesAfterItsLastOne() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2).maxLeasesPerObject(2)
                .maxLifetime(Duration.ofSeconds(10)).evictionInterval(Duration.ofSeconds(1)));
        Lease<Res> old = now(pool.acquire());
        fixture.advance(Duration.ofSeconds(11));

        Lease<Res> fresh = now(pool.acquire());
        assertThat(fresh.get()).as("not joined to the expired object").isNotSameAs(old.get());
        assertThat(old.get().destroyed).isFalse();
        Res expired = old.get();

        release(old);
        assertThat(expired.destroyed).isTrue();
        assertThat(pool.metrics().evicted()).isEqualTo(1);
        assertThat(now(pool.acquire()).get()).as("joins the live object").isSameAs(fresh.get());
    }

    @Test
    void maxUsesCountsLeases() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2).maxLeasesPerObject(4).maxUses(3));
        List<Lease<Res>> leases = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            leases.add(now(pool.acquire()));
        }
        Res worn = leases.get(0).get();
        assertThat(leasesPerObject(leases)).hasSize(1);
        assertThat(leases.get(2).timesAcquired()).isEqualTo(3);

        Lease<Res> fourth = now(pool.acquire());
        assertThat(fourth.get()).as("three leases used it up").isNotSameAs(worn);
        leases.forEach(PoolFixture::release);
        assertThat(worn.destroyed).isTrue();
    }

    @Test
    void maxIdleAndMinIdleCountObjectsWithoutALease() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(4).maxIdle(1).minIdle(1)
                .maxLeasesPerObject(4).evictionInterval(Duration.ofSeconds(1)));
        assertThat(pool.warmup().block(Duration.ofSeconds(5))).isEqualTo(1);
        Lease<Res> a = now(pool.acquire()); // the idle object's first lease: none idle now
        assertThat(pool.metrics().idle()).isZero();
        fixture.advance(Duration.ofSeconds(1)); // housekeeping refills minIdle
        assertThat(pool.metrics().idle()).isEqualTo(1);

        Lease<Res> b = now(pool.acquire()); // the idle object has fewer leases (0) than a's (1)
        assertThat(b.get()).isNotSameAs(a.get());
        Lease<Res> c = now(pool.acquire());
        assertThat(c.get()).as("ties: the first shared object").isIn(a.get(), b.get());

        release(a);
        release(b);
        release(c);
        fixture.advance(Duration.ofSeconds(1));
        PoolMetrics m = pool.metrics();
        assertThat(m.idle()).as("maxIdle caps objects without a lease").isEqualTo(1);
        assertThat(m.leased()).isZero();
        assertThat(fixture.live()).isEqualTo(m.total());
    }

    @Test
    void aShareCancelledBeforeEmissionGoesBack() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).maxLeasesPerObject(2));
        Lease<Res> a = now(pool.acquire());
        TestSubscriber<Lease<Res>> lazy = TestSubscriber.<Lease<Res>>builder().initialRequest(0).build();
        pool.acquire().subscribe(lazy);
        assertThat(pool.metrics().leases()).isEqualTo(1);

        lazy.cancel();

        Lease<Res> b = now(pool.acquire());
        assertThat(b.get()).isSameAs(a.get());
        release(a);
        release(b);
        PoolMetrics m = pool.metrics();
        assertThat(m.leases()).isZero();
        assertThat(m.idle()).isEqualTo(1);
    }

    @Test
    void aWaiterTimesOut() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).maxLeasesPerObject(2)
                .acquireTimeout(Duration.ofSeconds(2)));
        now(pool.acquire());
        now(pool.acquire());
        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());
        fixture.advance(Duration.ofSeconds(3));
        assertThat(waiter.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
        assertThat(pool.metrics().pending()).isZero();
    }

    @Test
    void maxPendingBoundsTheWaitersOfAFullPool() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).maxLeasesPerObject(2).maxPending(1));
        now(pool.acquire());
        now(pool.acquire());
        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());
        TestSubscriber<Lease<Res>> rejected = subscribe(pool.acquire());

        assertThat(waiter.isTerminated()).isFalse();
        assertThat(rejected.expectTerminalError()).isInstanceOf(PoolExhaustedException.class);
        assertThat(pool.metrics().rejections()).isEqualTo(1);
    }

    @Test
    void aFirstLeaseWhoseValidationFailsGetsAnotherObject() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2).maxLeasesPerObject(2)
                .validator(r -> Mono.just(r.id != 1)));
        release(now(pool.acquire())); // #1, created (not validated), now idle

        Lease<Res> a = now(pool.acquire()); // #1 fails validation: destroyed, #2 created
        Lease<Res> b = now(pool.acquire()); // joins #2
        assertThat(a.get().id).isEqualTo(2);
        assertThat(b.get()).isSameAs(a.get());
        assertThat(fixture.all.get(0).destroyed).isTrue();
        assertThat(pool.metrics().validationFailures()).isEqualTo(1);
        assertThat(pool.metrics().leased()).isEqualTo(1);
        assertThat(pool.metrics().leases()).isEqualTo(2);
    }

    @Test
    void aFailedResetAfterTheLastLeaseDestroysTheObject() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).maxLeasesPerObject(2)
                .resetter(r -> Mono.error(new IllegalStateException("dirty"))));
        Lease<Res> a = now(pool.acquire());
        Lease<Res> b = now(pool.acquire());
        Res res = a.get();
        release(a);
        assertThat(res.destroyed).isFalse();
        StepVerifier.create(b.release()).verifyComplete();
        assertThat(res.destroyed).isTrue();
        assertThat(pool.metrics().resetFailures()).isEqualTo(1);
        assertThat(now(pool.acquire()).get()).isNotSameAs(res);
    }

    @Test
    void sharesAreDeliveredOnTheDeliveryScheduler() {
        Pool<Res> pool = fixture.build(fixture.builder().maxSize(1).maxLeasesPerObject(2)
                .deliveryScheduler(Schedulers.single()));
        List<String> threads = new CopyOnWriteArrayList<>();
        Lease<Res> a = pool.acquire().doOnNext(l -> threads.add(Thread.currentThread().getName()))
                .block(Duration.ofSeconds(5));
        Lease<Res> b = pool.acquire().doOnNext(l -> threads.add(Thread.currentThread().getName()))
                .block(Duration.ofSeconds(5));
        assertThat(b.get()).isSameAs(a.get());
        assertThat(threads).hasSize(2).allSatisfy(name -> assertThat(name).startsWith("single-"));
        release(a);
        release(b);
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }

    @Test
    void aDroppedLeaseGivesBackItsShareOnly() {
        List<Res> resets = new CopyOnWriteArrayList<>();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).maxLeasesPerObject(2)
                .resetter(r -> Mono.fromRunnable(() -> resets.add(r))));
        Lease<Res> a = now(pool.acquire());
        Lease<Res> dropped = now(pool.acquire());

        ((Reclaimable) dropped).reclaim();
        ((Reclaimable) dropped).reclaim(); // once only

        assertThat(pool.metrics().leases()).isEqualTo(1);
        assertThat(pool.metrics().reclaimed()).isEqualTo(1);
        assertThat(resets).isEmpty();
        assertThat(a.get().destroyed).isFalse();
        release(a);
        assertThat(resets).hasSize(1);
    }

    @Test
    void aLostLeaseGivesBackItsShareAndTheOtherHolderKeepsTheObject() {
        Pool<Res> pool = fixture.build(fixture.builder().maxSize(1).maxLeasesPerObject(2).lostLeaseDetection(true));
        Lease<Res> kept = now(pool.acquire());
        pool.acquire().subscribe(lease -> { }); // received, then lost: never released, never get()
        assertThat(pool.metrics().leases()).isEqualTo(2);

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> {
                    System.gc();
                    assertThat(pool.metrics().leases()).isEqualTo(1);
                });
        assertThat(pool.metrics().reclaimed()).isEqualTo(1);
        assertThat(pool.metrics().leaks()).isZero();
        assertThat(kept.get().destroyed).isFalse();
        Lease<Res> again = now(pool.acquire());
        assertThat(again.get()).as("the lost share came back: room for a new lease").isSameAs(kept.get());
        release(kept);
        release(again);
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }

    @Test
    void leakDetectionReportsEachLease() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).maxLeasesPerObject(3)
                .leakDetectionThreshold(Duration.ofSeconds(5)).evictionInterval(Duration.ofSeconds(1)));
        Lease<Res> early = now(pool.acquire());
        fixture.advance(Duration.ofSeconds(3));
        Lease<Res> late = now(pool.acquire());
        fixture.advance(Duration.ofSeconds(3)); // early held 6 s, late 3 s
        assertThat(pool.metrics().leaks()).isEqualTo(1);
        fixture.advance(Duration.ofSeconds(3));
        assertThat(pool.metrics().leaks()).isEqualTo(2);
        release(early);
        release(late);
        fixture.advance(Duration.ofSeconds(10));
        assertThat(pool.metrics().leaks()).isEqualTo(2);
    }

    @Test
    void closeWaitsForTheLastShareWithinTheGracePeriod() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).maxLeasesPerObject(2)
                .closeGracePeriod(Duration.ofSeconds(30)));
        Lease<Res> a = now(pool.acquire());
        Lease<Res> b = now(pool.acquire());
        TestSubscriber<Void> closing = subscribe(pool.close());
        assertThat(closing.isTerminated()).isFalse();
        assertThat(pool.acquire().map(l -> 1).onErrorReturn(PoolClosedException.class::isInstance, 0)
                .block(Duration.ofSeconds(5))).isZero();

        release(a);
        assertThat(closing.isTerminated()).isFalse();
        assertThat(b.get().destroyed).isFalse();
        Res res = b.get();
        release(b);
        assertThat(res.destroyed).isTrue();
        assertThat(closing.isTerminatedComplete()).isTrue();
    }

    @Test
    void theLeaseThatTakesAnObjectFromIdleIsTimedOncePerTick() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).maxLeasesPerObject(2)
                .holdTimeSampling(1_000).evictionInterval(Duration.ofSeconds(1)));

        for (int tick = 0; tick < 3; tick++) {
            for (int round = 0; round < 2; round++) {
                Lease<Res> first = now(pool.acquire());
                Lease<Res> joined = now(pool.acquire());
                release(joined);
                release(first);
            }
            fixture.advance(Duration.ofSeconds(1));
        }

        assertThat(pool.metrics().acquired()).isEqualTo(12);
        assertThat(pool.metrics().holdTime().count()).as("one per tick").isEqualTo(3);
    }

    @Test
    void theLargestValueIsAccepted() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).maxLeasesPerObject(65_535));
        Lease<Res> a = now(pool.acquire());
        Lease<Res> b = now(pool.acquire());
        assertThat(b.get()).isSameAs(a.get());
    }
}
