package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.release;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * DESIGN "Lifetime": idle timeout, maximum lifetime with jitter and maximum uses; evictions run in
 * the background every eviction interval on the timer scheduler, and never stall acquirers.
 * Driven by virtual time (the timer scheduler's clock is the pool's clock).
 */
class LifetimeTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    private static List<Lease<Res>> leaseAll(Pool<Res> pool, int n) {
        List<Lease<Res>> leases = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            leases.add(now(pool.acquire()));
        }
        return leases;
    }

    @Test
    void idleTimeoutEvictsInTheBackground() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder()
                .idleTimeout(Duration.ofSeconds(10)).evictionInterval(Duration.ofSeconds(1)));
        release(now(pool.acquire()));

        fixture.advance(Duration.ofSeconds(9));
        assertThat(pool.metrics().idle()).isEqualTo(1);
        assertThat(fixture.destroyed).hasValue(0);

        fixture.advance(Duration.ofSeconds(2)); // one eviction interval of resolution

        assertThat(fixture.destroyed).hasValue(1);
        assertThat(pool.metrics().idle()).isZero();
        assertThat(pool.metrics().total()).isZero();
        assertThat(pool.metrics().evicted()).isEqualTo(1);
    }

    @Test
    void idleTimeoutCountsFromTheLastRelease() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder()
                .idleTimeout(Duration.ofSeconds(10)).evictionInterval(Duration.ofSeconds(1)));
        release(now(pool.acquire()));

        for (int i = 0; i < 5; i++) {
            fixture.advance(Duration.ofSeconds(6));
            Lease<Res> lease = now(pool.acquire());
            assertThat(lease.get()).isSameAs(fixture.all.get(0));
            release(lease);
        }

        assertThat(fixture.destroyed).hasValue(0);
    }

    @Test
    void leasedObjectsAreNeverEvictedForIdleness() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder()
                .idleTimeout(Duration.ofSeconds(10)).evictionInterval(Duration.ofSeconds(1)));
        Lease<Res> lease = now(pool.acquire());

        fixture.advance(Duration.ofSeconds(60));

        assertThat(lease.get().destroyed).isFalse();
        release(lease);
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }

    @Test
    void maxLifetimeEvictsIdleObjectsInTheBackground() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder()
                .maxLifetime(Duration.ofSeconds(30)).evictionInterval(Duration.ofSeconds(1)));
        release(now(pool.acquire()));

        fixture.advance(Duration.ofSeconds(29));
        assertThat(fixture.destroyed).hasValue(0);
        fixture.advance(Duration.ofSeconds(2));

        assertThat(fixture.destroyed).hasValue(1);
        assertThat(pool.metrics().evicted()).isEqualTo(1);
    }

    @Test
    void leasedObjectPastItsLifetimeIsDestroyedWhenReturnedNeverTakenFromItsUser() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder()
                .maxLifetime(Duration.ofSeconds(30)).evictionInterval(Duration.ofSeconds(1)));
        Lease<Res> lease = now(pool.acquire());
        Res res = lease.get();

        fixture.advance(Duration.ofSeconds(45));
        assertThat(lease.get()).isSameAs(res);
        assertThat(res.destroyed).isFalse();

        release(lease);

        assertThat(res.destroyed).isTrue();
        assertThat(pool.metrics().idle()).isZero();
        assertThat(now(pool.acquire()).get()).isNotSameAs(res);
    }

    @Test
    void maxLifetimeJitterSpreadsExpiries() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(20)
                .maxLifetime(Duration.ofSeconds(100), Duration.ofSeconds(50))
                .evictionInterval(Duration.ofSeconds(1)));
        leaseAll(pool, 20).forEach(PoolFixture::release);

        fixture.advance(Duration.ofSeconds(49));
        assertThat(fixture.destroyed).as("nobody expires before maxLifetime - jitter").hasValue(0);

        fixture.advance(Duration.ofSeconds(26)); // t = 75 s, the middle of the jitter window
        // each lifetime is drawn in [50 s, 100 s]: all 20 on the same side has probability 2^-19
        assertThat(fixture.destroyed.get()).as("some but not all expired at 75 s").isBetween(1, 19);

        fixture.advance(Duration.ofSeconds(27)); // t = 102 s
        assertThat(fixture.destroyed).hasValue(20);
        assertThat(pool.metrics().total()).isZero();
    }

    @Test
    void maxUsesDestroysAnObjectWhenItIsReturnedAfterItsLastUse() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).maxUses(3));

        List<Long> uses = new ArrayList<>();
        List<Res> objects = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Lease<Res> lease = now(pool.acquire());
            uses.add(lease.timesAcquired());
            objects.add(lease.get());
            release(lease);
        }

        assertThat(uses).containsExactly(1L, 2L, 3L, 1L);
        assertThat(objects.get(0)).isSameAs(objects.get(2)).isNotSameAs(objects.get(3));
        assertThat(objects.get(0).destroyed).isTrue();
        assertThat(pool.metrics().evicted()).isEqualTo(1);
    }

    @Test
    void maxUsesOneMakesEveryObjectSingleUse() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).maxUses(1));

        for (int i = 0; i < 3; i++) {
            release(now(pool.acquire()));
        }

        assertThat(fixture.created).hasValue(3);
        assertThat(fixture.destroyed).hasValue(3);
    }

    @Test
    void evictionRunsOnTheTimerScheduler() {
        AtomicReference<Thread> destroyedOn = new AtomicReference<>();
        Pool<Res> pool = fixture.build(Pool.builder(fixture.allocator())
                .destroyer(r -> Mono.fromRunnable(() -> destroyedOn.set(Thread.currentThread())))
                .timerScheduler(fixture.clock)
                .idleTimeout(Duration.ofSeconds(5)).evictionInterval(Duration.ofSeconds(1)));
        release(now(pool.acquire()));

        fixture.advance(Duration.ofSeconds(7));

        // a VirtualTimeScheduler runs its tasks on the thread advancing the clock: this one
        assertThat(destroyedOn.get()).isSameAs(Thread.currentThread());
    }

    @Test
    void noEvictionWithoutTheTimerTicking() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder()
                .idleTimeout(Duration.ofMillis(1)).evictionInterval(Duration.ofSeconds(1)));
        release(now(pool.acquire()));

        // no virtual time passes: the object is still there and is reused
        assertThat(now(pool.acquire()).get()).isSameAs(fixture.all.get(0));
    }

    @Test
    void evictionDoesNotStallAcquirers() {
        fixture.holdDestroys();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3)
                .idleTimeout(Duration.ofSeconds(5)).evictionInterval(Duration.ofSeconds(1)));
        leaseAll(pool, 2).forEach(PoolFixture::release);

        fixture.advance(Duration.ofSeconds(7));
        assertThat(fixture.heldDestroys()).as("two evictions hung in their destroyer").isEqualTo(2);

        Lease<Res> lease = now(pool.acquire());

        assertThat(lease.get().id).isEqualTo(3);
        assertThat(pool.metrics().total()).isEqualTo(3);
    }

    @Test
    void expiredIdleObjectIsNotHandedOutBetweenEvictionRuns() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2)
                .idleTimeout(Duration.ofSeconds(10)).evictionInterval(Duration.ofSeconds(1)));
        release(now(pool.acquire()));

        fixture.advance(Duration.ofSeconds(10));
        Lease<Res> lease = now(pool.acquire());

        assertThat(lease.get()).isNotSameAs(fixture.all.get(0));
        assertThat(fixture.all.get(0).destroyed).isTrue();
    }

    @Test
    void lifoLetsTheColdObjectsReachTheIdleTimeoutWhileTheHotOneWorks() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3).idleOrder(IdleOrder.LIFO)
                .idleTimeout(Duration.ofSeconds(10)).evictionInterval(Duration.ofSeconds(1)));
        leaseAll(pool, 3).forEach(PoolFixture::release); // released #1, #2, #3: #3 is the hottest

        for (int second = 0; second < 15; second++) {
            Lease<Res> lease = now(pool.acquire());
            assertThat(lease.get()).isSameAs(fixture.all.get(2));
            release(lease);
            fixture.advance(Duration.ofSeconds(1));
        }

        assertThat(fixture.all.get(0).destroyed).isTrue();
        assertThat(fixture.all.get(1).destroyed).isTrue();
        assertThat(fixture.all.get(2).destroyed).isFalse();
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }

    @Test
    void fifoEvictionKeepsTheOrderOfTheSurvivors() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3)
                .idleTimeout(Duration.ofSeconds(10)).evictionInterval(Duration.ofSeconds(1)));
        List<Lease<Res>> leases = leaseAll(pool, 3);
        release(leases.get(0));
        fixture.advance(Duration.ofSeconds(6));
        release(leases.get(1));
        release(leases.get(2));

        fixture.advance(Duration.ofSeconds(5)); // #1 idle 11 s: evicted; #2, #3 idle 5 s

        assertThat(fixture.all.get(0).destroyed).isTrue();
        assertThat(now(pool.acquire()).get()).isSameAs(fixture.all.get(1));
        assertThat(now(pool.acquire()).get()).isSameAs(fixture.all.get(2));
    }

    @Test
    void objectPastItsLifetimeIsNotHandedToAWaiter() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1)
                .maxLifetime(Duration.ofSeconds(30)).evictionInterval(Duration.ofSeconds(1))
                .acquireTimeout(Duration.ofMinutes(5)));
        Lease<Res> old = now(pool.acquire());
        reactor.test.subscriber.TestSubscriber<Lease<Res>> waiter = PoolFixture.subscribe(pool.acquire());
        fixture.advance(Duration.ofSeconds(40));

        release(old);

        assertThat(fixture.all.get(0).destroyed).isTrue();
        assertThat(waiter.getReceivedOnNext()).singleElement().extracting(Lease::get)
                .isSameAs(fixture.all.get(1));
    }

    @Test
    void objectAtItsLastUseIsNotHandedToAWaiter() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).maxUses(1));
        Lease<Res> only = now(pool.acquire());
        reactor.test.subscriber.TestSubscriber<Lease<Res>> waiter = PoolFixture.subscribe(pool.acquire());

        release(only);

        assertThat(fixture.all.get(0).destroyed).isTrue();
        assertThat(waiter.getReceivedOnNext()).singleElement().extracting(l -> l.get().id).isEqualTo(2);
        assertThat(fixture.maxLiveOrCreating()).isEqualTo(1);
    }
}
