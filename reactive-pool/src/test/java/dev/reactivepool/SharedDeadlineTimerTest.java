package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.release;
import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.subscriber.TestSubscriber;

/**
 * The acquire timeout of waiters on the pool's default timeout is watched by one shared timer,
 * re-armed for the oldest waiter left; {@code acquire(Duration)} with another timeout keeps a
 * timer of its own. These tests pin down that each waiter still times out exactly at its own
 * deadline, that served or cancelled waiters are never timed out and leave no timer per waiter
 * behind, and that both kinds of waiters mix. Driven by virtual time.
 */
class SharedDeadlineTimerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final PoolFixture fixture = new PoolFixture();
    private final TimerFiresAtOnceScheduler timer = new TimerFiresAtOnceScheduler(fixture.clock);

    @AfterEach
    void closePools() {
        fixture.close();
    }

    private Pool<Res> fullPoolOfOne() {
        // Housekeeping re-arms its own one-shot task on the same timer; a long interval keeps it
        // out of the counts.
        Pool<Res> pool = fixture.build(fixture.builder().timerScheduler(timer).maxSize(1).acquireTimeout(TIMEOUT)
                .evictionInterval(Duration.ofDays(1)));
        return pool;
    }

    @Test
    void eachWaiterTimesOutExactlyAtItsOwnDeadline() {
        Pool<Res> pool = fullPoolOfOne();
        Lease<Res> holder = now(pool.acquire(Duration.ofDays(1)));
        TestSubscriber<Lease<Res>> a = subscribe(pool.acquire());
        fixture.advance(Duration.ofSeconds(1));
        TestSubscriber<Lease<Res>> b = subscribe(pool.acquire());
        fixture.advance(Duration.ofSeconds(1));
        TestSubscriber<Lease<Res>> c = subscribe(pool.acquire());

        fixture.advance(Duration.ofMillis(2999)); // t = 4.999 s
        assertThat(List.of(a, b, c)).noneMatch(TestSubscriber::isTerminated);
        fixture.advance(Duration.ofMillis(1)); // t = 5 s: a's deadline
        assertThat(a.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
        assertThat(b.isTerminated()).isFalse();
        assertThat(c.isTerminated()).isFalse();
        fixture.advance(Duration.ofMillis(999)); // t = 5.999 s
        assertThat(b.isTerminated()).isFalse();
        fixture.advance(Duration.ofMillis(1)); // t = 6 s: b's deadline
        assertThat(b.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
        assertThat(c.isTerminated()).isFalse();
        fixture.advance(Duration.ofSeconds(1)); // t = 7 s: c's deadline
        assertThat(c.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);

        assertThat(pool.metrics().acquireTimeouts()).isEqualTo(3);
        assertThat(pool.metrics().pending()).isZero();
        release(holder);
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }

    @Test
    void servedWaiterIsNotTimedOutAndTheNextKeepsItsOwnDeadline() {
        Pool<Res> pool = fullPoolOfOne();
        Lease<Res> holder = now(pool.acquire(Duration.ofDays(1)));
        TestSubscriber<Lease<Res>> a = subscribe(pool.acquire());
        fixture.advance(Duration.ofSeconds(2));
        TestSubscriber<Lease<Res>> b = subscribe(pool.acquire());
        fixture.advance(Duration.ofSeconds(1));
        release(holder); // t = 3 s: a is served, b waits

        assertThat(a.getReceivedOnNext()).hasSize(1);
        fixture.advance(Duration.ofSeconds(2)); // t = 5 s: a's deadline, the armed timer fires
        assertThat(a.isTerminatedComplete()).isTrue();
        assertThat(b.isTerminated()).as("b's deadline is 7 s").isFalse();
        fixture.advance(Duration.ofMillis(1999));
        assertThat(b.isTerminated()).isFalse();
        fixture.advance(Duration.ofMillis(1)); // t = 7 s
        assertThat(b.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
        assertThat(pool.metrics().acquireTimeouts()).isEqualTo(1);
        release(a.getReceivedOnNext().get(0));
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }

    @Test
    void manyWaitersShareOneTimerInsteadOfOneEach() {
        Pool<Res> pool = fullPoolOfOne();
        Lease<Res> holder = now(pool.acquire(Duration.ofDays(1)));
        int before = timer.delayedTasks();
        List<TestSubscriber<Lease<Res>>> waiters = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            waiters.add(subscribe(pool.acquire()));
            waiters.add(subscribe(pool.acquire(TIMEOUT))); // the same timeout as the default: shared too
        }

        assertThat(timer.delayedTasks() - before).as("timers armed for 200 waiters").isEqualTo(1);
        // Hand the object down the line: every waiter served in turn, none timed out.
        for (TestSubscriber<Lease<Res>> waiter : waiters) {
            release(holder);
            holder = waiter.getReceivedOnNext().get(0);
        }
        fixture.advance(TIMEOUT.multipliedBy(2));
        assertThat(pool.metrics().acquireTimeouts()).isZero();
        assertThat(waiters).allMatch(TestSubscriber::isTerminatedComplete);
        assertThat(timer.delayedTasks() - before).as("at most one re-arm after the first fired").isLessThanOrEqualTo(2);
        release(holder);
    }

    @Test
    void cancelledWaitersAreNeitherTimedOutNorWatchedForever() {
        Pool<Res> pool = fullPoolOfOne();
        Lease<Res> holder = now(pool.acquire(Duration.ofDays(1)));
        int before = timer.delayedTasks();
        List<TestSubscriber<Lease<Res>>> waiters = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            waiters.add(subscribe(pool.acquire()));
        }
        waiters.forEach(TestSubscriber::cancel);
        assertThat(pool.metrics().pending()).isZero();

        fixture.advance(TIMEOUT.multipliedBy(3));

        assertThat(waiters).noneMatch(TestSubscriber::isTerminated);
        assertThat(pool.metrics().acquireTimeouts()).isZero();
        assertThat(timer.delayedTasks() - before).as("no timer per cancelled waiter").isLessThanOrEqualTo(1);
        // The next waiter is still timed out on time.
        TestSubscriber<Lease<Res>> late = subscribe(pool.acquire());
        fixture.advance(TIMEOUT.minusMillis(1));
        assertThat(late.isTerminated()).isFalse();
        fixture.advance(Duration.ofMillis(1));
        assertThat(late.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
        release(holder);
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }

    @Test
    void ownTimeoutsAndTheSharedOneMix() {
        Pool<Res> pool = fullPoolOfOne();
        Lease<Res> holder = now(pool.acquire(Duration.ofDays(1)));
        TestSubscriber<Lease<Res>> longOwn = subscribe(pool.acquire(Duration.ofSeconds(60)));
        TestSubscriber<Lease<Res>> shared = subscribe(pool.acquire());
        TestSubscriber<Lease<Res>> shortOwn = subscribe(pool.acquire(Duration.ofSeconds(1)));

        fixture.advance(Duration.ofSeconds(1));
        assertThat(shortOwn.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
        assertThat(((AcquireTimeoutException) shortOwn.expectTerminalError()).timeout())
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(shared.isTerminated()).isFalse();

        fixture.advance(Duration.ofSeconds(4)); // t = 5 s: behind a waiter with a later deadline, still on time
        assertThat(shared.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
        assertThat(((AcquireTimeoutException) shared.expectTerminalError()).timeout()).isEqualTo(TIMEOUT);
        assertThat(longOwn.isTerminated()).isFalse();

        release(holder);
        assertThat(longOwn.getReceivedOnNext()).as("the first waiter still gets the object").hasSize(1);
        release(longOwn.getReceivedOnNext().get(0));
        assertThat(pool.metrics().acquireTimeouts()).isEqualTo(2);
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }

    @Test
    void waiterWhoseObjectIsBeingValidatedStillTimesOutAtItsDeadline() {
        Pool<Res> pool = fixture.build(fixture.builder().timerScheduler(timer).maxSize(1).acquireTimeout(TIMEOUT)
                .validator(r -> Mono.never()).validationTimeout(Duration.ofSeconds(60)));
        Lease<Res> holder = now(pool.acquire(Duration.ofDays(1)));
        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());
        fixture.advance(Duration.ofSeconds(1));
        release(holder); // handed to the waiter, whose validation never ends

        fixture.advance(Duration.ofMillis(3999));
        assertThat(waiter.isTerminated()).isFalse();
        fixture.advance(Duration.ofMillis(1));

        assertThat(waiter.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
        fixture.advance(Duration.ofSeconds(60)); // the validation times out; the object is destroyed, not lost
        assertThat(pool.metrics().total()).isZero();
        assertThat(fixture.live()).isZero();
    }

    @Test
    void idleHitsValidatedAtOnceArmNoTimer() {
        Pool<Res> pool = fixture.build(fixture.builder().timerScheduler(timer).maxSize(1).acquireTimeout(TIMEOUT)
                .evictionInterval(Duration.ofDays(1)).validator(r -> Mono.just(true)));
        release(now(pool.acquire())); // created, then idle
        fixture.advance(TIMEOUT); // the timer that watched the creation fires: none is armed now
        int before = timer.delayedTasks();

        for (int i = 0; i < 50; i++) {
            release(now(pool.acquire()));
        }

        assertThat(timer.delayedTasks() - before).as("timers armed for 50 validated idle hits").isZero();
        assertThat(pool.metrics().acquired()).isEqualTo(51);
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }

    @Test
    void idleHitWhoseValidationNeverEndsStillTimesOutAtItsDeadline() {
        Pool<Res> pool = fixture.build(fixture.builder().timerScheduler(timer).maxSize(1).acquireTimeout(TIMEOUT)
                .validator(r -> Mono.never()).validationTimeout(Duration.ofSeconds(60)));
        release(now(pool.acquire(Duration.ofDays(1)))); // created (not validated), then idle
        TestSubscriber<Lease<Res>> hit = subscribe(pool.acquire());

        fixture.advance(TIMEOUT.minusMillis(1));
        assertThat(hit.isTerminated()).isFalse();
        fixture.advance(Duration.ofMillis(1));

        assertThat(hit.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
        fixture.advance(Duration.ofSeconds(60)); // the validation times out; the object is destroyed, not lost
        assertThat(pool.metrics().total()).isZero();
        assertThat(fixture.live()).isZero();
    }

    @Test
    void waiterHandedAnObjectItNeverRequestsTimesOutAndTheObjectComesBack() {
        Pool<Res> pool = fullPoolOfOne();
        Lease<Res> holder = now(pool.acquire(Duration.ofDays(1)));
        TestSubscriber<Lease<Res>> lazy = TestSubscriber.<Lease<Res>>builder().initialRequest(0).build();
        pool.acquire().subscribe(lazy);
        release(holder);

        fixture.advance(TIMEOUT);

        assertThat(lazy.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
        assertThat(lazy.getReceivedOnNext()).isEmpty();
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }
}
