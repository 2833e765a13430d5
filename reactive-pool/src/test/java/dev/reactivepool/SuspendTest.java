package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.release;
import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.subscriber.TestSubscriber;

/** {@link Pool#suspend()} and {@link Pool#resume()}. */
class SuspendTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    private Pool<Res> poolWithOneIdle(PoolBuilder<Res> builder) {
        Pool<Res> pool = fixture.build(builder);
        release(now(pool.acquire()));
        assertThat(pool.metrics().idle()).isEqualTo(1);
        return pool;
    }

    @Test
    void anAcquireWaitsEvenWithAnIdleObjectAndTimesOutAsUsual() {
        Pool<Res> pool = poolWithOneIdle(fixture.virtualTimeBuilder().maxSize(3).acquireTimeout(Duration.ofSeconds(1)));

        pool.suspend();
        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());
        TestSubscriber<Lease<Res>> ownTimeout = subscribe(pool.acquire(Duration.ofMillis(500)));

        assertThat(pool.isSuspended()).isTrue();
        assertThat(waiter.getReceivedOnNext()).as("no idle hit while suspended").isEmpty();
        assertThat(pool.metrics().pending()).isEqualTo(2);
        fixture.advance(Duration.ofSeconds(1));
        assertThat(waiter.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
        assertThat(ownTimeout.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
        assertThat(fixture.allocatorSubscriptions.get()).as("nothing created").isEqualTo(1);
        assertThat(pool.metrics().idle()).isEqualTo(1);
        assertThat(pool.metrics().pending()).isZero();
        assertThat(pool.metrics().acquireTimeouts()).isEqualTo(2);
    }

    @Test
    void nothingIsCreatedWhileSuspendedNotEvenForMinIdleOrWarmup() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3).minIdle(2));
        pool.suspend();

        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());
        StepVerifier.create(pool.warmup()).expectNext(0).verifyComplete();
        fixture.advance(Duration.ofSeconds(5)); // housekeeping runs its minIdle refill

        assertThat(fixture.allocatorSubscriptions.get()).isZero();
        assertThat(waiter.getReceivedOnNext()).isEmpty();

        pool.resume();

        assertThat(waiter.getReceivedOnNext()).hasSize(1);
        assertThat(pool.isSuspended()).isFalse();
        assertThat(pool.metrics().idle()).as("minIdle refilled after resume").isEqualTo(2);
    }

    @Test
    void resumeServesWaitersInArrivalOrder() {
        Pool<Res> pool = poolWithOneIdle(fixture.virtualTimeBuilder().maxSize(1));
        pool.suspend();
        TestSubscriber<Lease<Res>> first = subscribe(pool.acquire());
        TestSubscriber<Lease<Res>> second = subscribe(pool.acquire());
        TestSubscriber<Lease<Res>> third = subscribe(pool.acquire());

        pool.resume();

        assertThat(first.getReceivedOnNext()).hasSize(1);
        assertThat(second.getReceivedOnNext()).isEmpty();
        release(first.getReceivedOnNext().get(0));
        assertThat(second.getReceivedOnNext()).hasSize(1);
        assertThat(third.getReceivedOnNext()).isEmpty();
        release(second.getReceivedOnNext().get(0));
        assertThat(third.getReceivedOnNext()).hasSize(1);
    }

    @Test
    void leasesReturnedWhileSuspendedGoIdleAndAreNotHandedOver() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        Lease<Res> lease = now(pool.acquire());
        pool.suspend();
        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());

        release(lease);

        assertThat(waiter.getReceivedOnNext()).isEmpty();
        assertThat(pool.metrics().idle()).isEqualTo(1);
        pool.suspend(); // idempotent
        pool.resume();
        assertThat(waiter.getReceivedOnNext()).hasSize(1);
        pool.resume(); // idempotent
        assertThat(pool.metrics().pending()).isZero();
        release(waiter.getReceivedOnNext().get(0));
        assertThat(now(pool.acquire())).as("idle hit again after resume").isNotNull();
    }

    @Test
    void maxPendingCountsRealWaitersOnly() {
        Pool<Res> pool = poolWithOneIdle(fixture.virtualTimeBuilder().maxSize(1).maxPending(1));
        pool.suspend();

        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());
        TestSubscriber<Lease<Res>> rejected = subscribe(pool.acquire());

        assertThat(waiter.isTerminated()).isFalse();
        assertThat(rejected.expectTerminalError()).isInstanceOf(PoolExhaustedException.class);
    }

    @Test
    void closeWhileSuspendedFailsTheWaitersAndDestroysEverything() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2));
        Lease<Res> idle = now(pool.acquire());
        Lease<Res> leased = now(pool.acquire());
        release(idle);
        pool.suspend();
        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());

        TestSubscriber<Void> closing = subscribe(pool.close());

        assertThat(waiter.expectTerminalError()).isInstanceOf(PoolClosedException.class);
        assertThat(closing.isTerminated()).as("a lease is still out").isFalse();
        assertThat(fixture.destroyed.get()).as("the idle object went at once").isEqualTo(1);
        release(leased);
        assertThat(closing.isTerminatedComplete()).isTrue();
        assertThat(fixture.live()).isZero();
        assertThat(List.of(fixture.created.get(), fixture.destroyed.get())).containsExactly(2, 2);
    }
}
