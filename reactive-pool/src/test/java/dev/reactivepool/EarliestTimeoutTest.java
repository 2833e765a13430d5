package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.release;
import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.subscriber.TestSubscriber;

/**
 * DESIGN "Cancellation and timeouts never leak", at the earliest instant: with a timer on which
 * every delay has already elapsed, each timeout fires while the step it guards is being set up.
 * The acquire, the validation, the reset and the destruction must still end cleanly: one outcome
 * per acquire, no object or permit lost.
 */
class EarliestTimeoutTest {

    private final PoolFixture fixture = new PoolFixture();
    private final TimerFiresAtOnceScheduler timer = new TimerFiresAtOnceScheduler(fixture.clock);

    @AfterEach
    void closePools() {
        fixture.close();
    }

    private PoolBuilder<Res> builder() {
        return fixture.builder().timerScheduler(timer);
    }

    @Test
    void acquireThatMustCreateTimesOutCleanly() {
        Pool<Res> pool = fixture.build(builder().maxSize(1));
        timer.fireAtOnce();

        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire());

        assertThat(acquirer.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
        PoolMetrics m = pool.metrics();
        assertThat(m.acquireTimeouts()).isEqualTo(1);
        assertThat(m.creating()).isZero();
        assertThat(m.pending()).isZero();
        assertThat(m.total()).as("an object created anyway is idle, not lost").isEqualTo(m.idle());
        assertThat(fixture.liveOrCreating()).isEqualTo(m.total());
    }

    @Test
    void acquireThatMustWaitTimesOutCleanly() {
        Pool<Res> pool = fixture.build(builder().maxSize(1));
        // The holder uses a timeout of its own: with the default one, it would leave the pool's
        // shared deadline timer armed (on the virtual clock, for its deadline, which comes before
        // the waiter's), and the waiter would rightly rely on that timer instead of arming one.
        Lease<Res> holder = now(pool.acquire(Duration.ofSeconds(60)));
        timer.fireAtOnce();

        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());

        assertThat(waiter.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
        assertThat(pool.metrics().pending()).isZero();
        release(holder);
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }

    @Test
    void acquireWithItsOwnTimeoutThatMustWaitTimesOutCleanly() {
        Pool<Res> pool = fixture.build(builder().maxSize(1));
        Lease<Res> holder = now(pool.acquire());
        timer.fireAtOnce();

        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire(Duration.ofSeconds(7)));

        assertThat(waiter.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
        assertThat(((AcquireTimeoutException) waiter.expectTerminalError()).timeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(pool.metrics().pending()).isZero();
        release(holder);
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }

    @Test
    void acquireThatMustValidateTimesOutCleanly() {
        Pool<Res> pool = fixture.build(builder().maxSize(1).validator(r -> Mono.just(true)));
        release(now(pool.acquire()));
        timer.fireAtOnce();

        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire());

        assertThat(acquirer.isTerminated()).isTrue();
        if (acquirer.isTerminatedError()) {
            assertThat(acquirer.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
            assertThat(pool.metrics().idle()).isEqualTo(pool.metrics().total());
        } else {
            release(acquirer.getReceivedOnNext().get(0));
        }
        assertThat(pool.metrics().leased()).isZero();
        assertThat(fixture.live()).isEqualTo(pool.metrics().total());
    }

    @Test
    void resetAndDestroyThatTimeOutAtOnceStillFreeThePermit() {
        Pool<Res> pool = fixture.build(builder().maxSize(1).resetter(r -> Mono.empty()));
        Lease<Res> lease = now(pool.acquire());
        timer.fireAtOnce();

        TestSubscriber<Void> releasing = subscribe(lease.release());

        assertThat(releasing.isTerminatedComplete()).isTrue();
        PoolMetrics m = pool.metrics();
        // the reset may win or time out; either way the object is idle or its permit is free
        assertThat(m.total()).isEqualTo(m.idle());
        assertThat(m.leased()).isZero();
    }

    @Test
    void closeWhoseGracePeriodElapsesAtOnceCompletesAndStillTakesBackReturnedObjects() {
        Pool<Res> pool = fixture.build(builder().maxSize(1));
        Lease<Res> lease = now(pool.acquire());
        timer.fireAtOnce();

        TestSubscriber<Void> closing = subscribe(pool.close());

        assertThat(closing.isTerminatedComplete()).isTrue();
        release(lease);
        // destroyed (here the destroy timeout, elapsed at once, cuts the destroyer short): not idle, permit freed
        assertThat(pool.metrics().total()).isZero();
        assertThat(pool.metrics().idle()).isZero();
        assertThat(pool.metrics().destroyed()).isEqualTo(1);
    }

    @Test
    void validationRetryIsNotRejectedByMaxPending() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2).maxPending(0)
                .validator(r -> Mono.just(r.id != 1)));
        Lease<Res> first = now(pool.acquire());
        Lease<Res> second = now(pool.acquire());
        release(first); // #1 idle (and invalid), #2 leased: the pool is full

        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire(Duration.ofSeconds(1)));

        assertThat(acquirer.getReceivedOnNext()).as("#1 fails validation; a new object replaces it")
                .singleElement().extracting(l -> l.get().id).isEqualTo(3);
        assertThat(pool.metrics().rejections()).isZero();
        release(second);
    }
}
