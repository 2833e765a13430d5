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
 * DESIGN "Cancellation and timeouts never leak": the acquire timeout covers the whole acquire
 * (waiting, creating, validating), always fires with {@link AcquireTimeoutException} and the
 * pool's figures, and the object or permit involved is not lost. Driven by virtual time.
 */
class AcquireTimeoutTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    @Test
    void timeoutWhileWaitingFailsWithTheFigures() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().name("ledger").maxSize(1));
        Lease<Res> holder = now(pool.acquire());
        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire(Duration.ofSeconds(5)));

        fixture.advance(Duration.ofMillis(4999));
        assertThat(waiter.isTerminated()).isFalse();
        fixture.advance(Duration.ofMillis(1));

        Throwable error = waiter.expectTerminalError();
        assertThat(error).isInstanceOf(AcquireTimeoutException.class)
                .hasMessageContaining("ledger")
                .hasMessageContaining("5000 ms")
                .hasMessageContaining("maxSize=1")
                .hasMessageContaining("leased=1")
                .hasMessageContaining("idle=0");
        assertThat(((AcquireTimeoutException) error).timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(error.getCause()).isNull();
        assertThat(pool.metrics().acquireTimeouts()).isEqualTo(1);
        assertThat(pool.metrics().pending()).isZero();

        release(holder);
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }

    @Test
    void acquireWithoutArgumentUsesTheConfiguredTimeout() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1)
                .acquireTimeout(Duration.ofSeconds(2)));
        now(pool.acquire());
        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());

        fixture.advance(Duration.ofMillis(1999));
        assertThat(waiter.isTerminated()).isFalse();
        fixture.advance(Duration.ofMillis(1));

        assertThat(waiter.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
        assertThat(((AcquireTimeoutException) waiter.expectTerminalError()).timeout())
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void defaultAcquireTimeoutIsThirtySeconds() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        now(pool.acquire());
        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());

        fixture.advance(Duration.ofSeconds(29));
        assertThat(waiter.isTerminated()).isFalse();
        fixture.advance(Duration.ofSeconds(1));

        assertThat(waiter.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
    }

    @Test
    void timeoutCoversCreation() {
        fixture.holdCreations();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1)
                .createTimeout(Duration.ofSeconds(60)));
        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire(Duration.ofSeconds(2)));

        fixture.advance(Duration.ofSeconds(2));

        assertThat(acquirer.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
        // the creation goes on; its object is kept, the permit is not lost
        fixture.completeCreation();
        assertThat(pool.metrics().idle()).isEqualTo(1);
        assertThat(now(pool.acquire()).get()).isSameAs(fixture.all.get(0));
    }

    @Test
    void timeoutCoversAHungCreationWhosePermitComesBackAfterTheCreateTimeout() {
        fixture.holdCreations();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1)
                .createTimeout(Duration.ofSeconds(10)));
        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire(Duration.ofSeconds(2)));

        fixture.advance(Duration.ofSeconds(2));
        assertThat(acquirer.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);

        fixture.advance(Duration.ofSeconds(8));
        assertThat(pool.metrics().creating()).isZero();
        assertThat(pool.metrics().total()).isZero();
        assertThat(pool.metrics().creationFailures()).isEqualTo(1);
        assertThat(fixture.liveOrCreating()).isZero();

        fixture.releaseCreations();
        fixture.advance(Duration.ofSeconds(10)); // past any creation backoff
        TestSubscriber<Lease<Res>> next = subscribe(pool.acquire(Duration.ofSeconds(30)));
        fixture.advance(Duration.ofSeconds(10));
        assertThat(next.getReceivedOnNext()).hasSize(1);
    }

    @Test
    void timeoutCoversValidation() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1)
                .validator(r -> Mono.never()).validationTimeout(Duration.ofSeconds(60)));
        release(now(pool.acquire()));
        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire(Duration.ofSeconds(2)));

        fixture.advance(Duration.ofSeconds(2));

        assertThat(acquirer.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
        // the validation still times out later, and the object it held is not lost
        fixture.advance(Duration.ofSeconds(58));
        assertThat(pool.metrics().validationFailures()).isEqualTo(1);
        assertThat(pool.metrics().total()).isZero();
        assertThat(fixture.live()).isZero();
    }

    @Test
    void timeoutCoversASlowValidationThatSucceedsLate() {
        reactor.core.publisher.Sinks.One<Boolean> verdict = reactor.core.publisher.Sinks.one();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1)
                .validator(r -> verdict.asMono()).validationTimeout(Duration.ofSeconds(60)));
        release(now(pool.acquire()));
        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire(Duration.ofSeconds(2)));

        fixture.advance(Duration.ofSeconds(2));
        assertThat(acquirer.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);

        verdict.tryEmitValue(true).orThrow();
        assertThat(pool.metrics().idle()).isEqualTo(1);
        assertThat(pool.metrics().total()).isEqualTo(1);
    }

    @Test
    void timeoutWhileCreationIsFailingCarriesTheLastCreationError() {
        IllegalStateException down = new IllegalStateException("backend down");
        fixture.failCreations(down);
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1)
                .creationBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10)));
        TestSubscriber<Lease<Res>> first = subscribe(pool.acquire());
        assertThat(first.expectTerminalError()).isSameAs(down);

        TestSubscriber<Lease<Res>> second = subscribe(pool.acquire(Duration.ofMillis(100)));
        fixture.advance(Duration.ofMillis(100));

        Throwable error = second.expectTerminalError();
        assertThat(error).isInstanceOf(AcquireTimeoutException.class)
                .hasMessageContaining("backend down")
                .hasCause(down);
        assertThat(fixture.allocatorSubscriptions).as("backoff: no second attempt within 100 ms").hasValue(1);
    }

    @Test
    void timeoutFiresForAnAcquirerThatNeverRequests() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        Lease<Res> holder = now(pool.acquire());
        TestSubscriber<Lease<Res>> lazy = TestSubscriber.<Lease<Res>>builder().initialRequest(0).build();
        pool.acquire(Duration.ofSeconds(1)).subscribe(lazy);
        release(holder); // handed to the lazy acquirer, which does not request

        fixture.advance(Duration.ofSeconds(1));

        assertThat(lazy.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
        assertThat(lazy.getReceivedOnNext()).isEmpty();
        assertThat(pool.metrics().idle()).as("the object came back").isEqualTo(1);
    }

    @Test
    void servedAcquirerIsNotTimedOutLater() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        Lease<Res> holder = now(pool.acquire());
        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire(Duration.ofSeconds(1)));
        release(holder);

        fixture.advance(Duration.ofSeconds(5));

        assertThat(waiter.isTerminatedComplete()).isTrue();
        assertThat(waiter.getReceivedOnNext()).hasSize(1);
        assertThat(pool.metrics().acquireTimeouts()).isZero();
        assertThat(waiter.getReceivedOnNext().get(0).isReleased()).isFalse();
    }

    @Test
    void manyTimeoutsLeaveNothingBehind() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2));
        Lease<Res> a = now(pool.acquire());
        Lease<Res> b = now(pool.acquire());
        for (int i = 0; i < 100; i++) {
            subscribe(pool.acquire(Duration.ofMillis(10 + i)));
        }
        assertThat(pool.metrics().pending()).isEqualTo(100);

        fixture.advance(Duration.ofSeconds(1));

        assertThat(pool.metrics().pending()).isZero();
        assertThat(pool.metrics().acquireTimeouts()).isEqualTo(100);
        release(a);
        release(b);
        assertThat(pool.metrics().idle()).isEqualTo(2);
    }

    @Test
    void idleHitThatIsNeverRequestedTimesOutAndReturnsTheObject() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        release(now(pool.acquire()));
        TestSubscriber<Lease<Res>> lazy = TestSubscriber.<Lease<Res>>builder().initialRequest(0).build();
        pool.acquire(Duration.ofSeconds(1)).subscribe(lazy);

        fixture.advance(Duration.ofSeconds(1));

        assertThat(lazy.isTerminatedError()).as("the acquire timeout always fires").isTrue();
        assertThat(lazy.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }
}
