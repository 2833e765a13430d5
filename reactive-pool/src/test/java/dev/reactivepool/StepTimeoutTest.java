package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.release;
import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.subscriber.TestSubscriber;

/**
 * DESIGN "Validation and reset are asynchronous and bounded by timeouts": each step runs under a
 * one-shot timer. A step that does not end in time is cancelled and counts as failed; a step that
 * ends first disarms the timer; a signal arriving after the timeout changes nothing; a publisher
 * with several values is read for its first one only. Driven by virtual time.
 */
class StepTimeoutTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    @Test
    void hungValidationIsCancelledAtItsTimeoutAndTheObjectReplaced() {
        AtomicInteger cancelled = new AtomicInteger();
        AtomicInteger validations = new AtomicInteger();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1)
                .validationTimeout(Duration.ofSeconds(3))
                .validator(r -> validations.getAndIncrement() == 0
                        ? Mono.<Boolean>never().doOnCancel(cancelled::incrementAndGet)
                        : Mono.just(true)));
        release(now(pool.acquire()));

        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire());
        fixture.advance(Duration.ofMillis(2999));
        assertThat(acquirer.isTerminated()).isFalse();
        assertThat(cancelled).hasValue(0);
        fixture.advance(Duration.ofMillis(1));

        assertThat(cancelled).as("the hung validation is cancelled").hasValue(1);
        assertThat(pool.metrics().validationFailures()).isEqualTo(1);
        // A new object is drawn; created objects are not validated, so the acquirer gets it at once.
        assertThat(acquirer.getReceivedOnNext()).singleElement().extracting(l -> l.get().id).isEqualTo(2);
        release(acquirer.getReceivedOnNext().get(0));
    }

    @Test
    void resetThatEndsInTimeDisarmsItsTimerAndALateSignalChangesNothing() {
        Sinks.Empty<Void> slowReset = Sinks.empty();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1)
                .resetTimeout(Duration.ofSeconds(2)).resetter(r -> slowReset.asMono()));
        Lease<Res> lease = now(pool.acquire());

        TestSubscriber<Void> releasing = subscribe(lease.release());
        fixture.advance(Duration.ofSeconds(1));
        assertThat(releasing.isTerminated()).isFalse();
        slowReset.tryEmitEmpty().orThrow();

        assertThat(releasing.isTerminatedComplete()).isTrue();
        assertThat(pool.metrics().idle()).isEqualTo(1);
        fixture.advance(Duration.ofSeconds(5)); // past the reset timeout: the disarmed timer does nothing
        assertThat(pool.metrics().resetFailures()).isZero();
        assertThat(pool.metrics().destroyed()).isZero();
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }

    @Test
    void resetThatTimesOutDestroysOnceEvenIfItEndsLater() {
        Sinks.Empty<Void> lateReset = Sinks.empty();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1)
                .resetTimeout(Duration.ofSeconds(2)).resetter(r -> lateReset.asMono()));
        Lease<Res> lease = now(pool.acquire());

        TestSubscriber<Void> releasing = subscribe(lease.release());
        fixture.advance(Duration.ofSeconds(2));

        assertThat(releasing.isTerminatedComplete()).isTrue();
        assertThat(pool.metrics().resetFailures()).isEqualTo(1);
        assertThat(pool.metrics().destroyed()).isEqualTo(1);
        assertThat(lateReset.currentSubscriberCount()).as("the step was cancelled").isZero();
        lateReset.tryEmitEmpty(); // too late: nobody listens
        assertThat(pool.metrics().destroyed()).isEqualTo(1);
        assertThat(pool.metrics().total()).isZero();
    }

    @Test
    void validatorWithSeveralValuesIsReadForItsFirstOnly() {
        AtomicInteger cancelled = new AtomicInteger();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1)
                .validator(r -> Flux.just(true, false, false).doOnCancel(cancelled::incrementAndGet)));
        release(now(pool.acquire()));

        Lease<Res> lease = now(pool.acquire());

        assertThat(lease.get().id).isEqualTo(1);
        assertThat(cancelled).hasValue(1);
        assertThat(pool.metrics().validationFailures()).isZero();
        release(lease);
    }
}
