package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.release;
import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.subscriber.TestSubscriber;

/**
 * DESIGN "Close": idempotent and non-blocking; waiting acquirers fail with
 * {@link PoolClosedException}; idle objects are destroyed at once, leased ones when returned;
 * the close {@code Mono} completes when everything is destroyed or after the grace period.
 */
class CloseTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    @Test
    void closeDestroysIdleObjectsAndCompletes() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3));
        List<Lease<Res>> leases = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            leases.add(now(pool.acquire()));
        }
        leases.forEach(PoolFixture::release);

        TestSubscriber<Void> closing = subscribe(pool.close());

        assertThat(closing.isTerminatedComplete()).isTrue();
        assertThat(fixture.destroyed).hasValue(3);
        assertThat(pool.metrics().total()).isZero();
        assertThat(pool.metrics().idle()).isZero();
        assertThat(pool.isDisposed()).isTrue();
    }

    @Test
    void housekeepingRunsUntilCloseAndSchedulesNothingAfterwards() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().evictionInterval(Duration.ofSeconds(1)));
        long beforeRunning = fixture.clock.getScheduledTaskCount();
        fixture.advance(Duration.ofSeconds(10));
        // Each run re-arms the next one (one-shot tasks, which close can cancel without blocking).
        assertThat(fixture.clock.getScheduledTaskCount() - beforeRunning).as("housekeeping runs in 10 s")
                .isGreaterThanOrEqualTo(10);

        assertThat(subscribe(pool.close()).isTerminatedComplete()).isTrue();
        long afterClose = fixture.clock.getScheduledTaskCount();
        fixture.advance(Duration.ofMinutes(10));
        assertThat(fixture.clock.getScheduledTaskCount()).as("tasks scheduled after close").isEqualTo(afterClose);
    }

    @Test
    void closeIsLazyUntilSubscribed() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder());
        release(now(pool.acquire()));

        Mono<Void> close = pool.close();

        assertThat(pool.isDisposed()).isFalse();
        assertThat(fixture.destroyed).hasValue(0);
        close.block(Duration.ofSeconds(5));
        assertThat(pool.isDisposed()).isTrue();
    }

    @Test
    void closeIsIdempotent() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2));
        release(now(pool.acquire()));

        TestSubscriber<Void> first = subscribe(pool.close());
        TestSubscriber<Void> second = subscribe(pool.close());
        pool.dispose();

        assertThat(first.isTerminatedComplete()).isTrue();
        assertThat(second.isTerminatedComplete()).isTrue();
        assertThat(fixture.destroyCalls).hasValue(1);
        assertThat(fixture.doubleDestroys).hasValue(0);
    }

    @Test
    void pendingAcquirersFailWithPoolClosed() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().name("sessions").maxSize(1));
        Lease<Res> holder = now(pool.acquire());
        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());

        pool.close().subscribe();

        Throwable error = waiter.expectTerminalError();
        assertThat(error).isInstanceOf(PoolClosedException.class)
                .hasMessageContaining("sessions")
                .hasMessageContaining("closed")
                .hasMessageContaining("maxSize=1")
                .hasMessageContaining("leased=1");
        assertThat(pool.metrics().pending()).isZero();
        release(holder);
    }

    @Test
    void acquireAfterCloseFailsAtOnce() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder());
        pool.close().block(Duration.ofSeconds(5));

        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire());
        TestSubscriber<Lease<Res>> withTimeout = subscribe(pool.acquire(Duration.ofSeconds(1)));

        assertThat(acquirer.expectTerminalError()).isInstanceOf(PoolClosedException.class);
        assertThat(withTimeout.expectTerminalError()).isInstanceOf(PoolClosedException.class);
        assertThat(fixture.allocatorSubscriptions).hasValue(0);
    }

    @Test
    void leasedObjectsAreDestroyedWhenReturnedAndCloseCompletesThen() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2));
        Lease<Res> a = now(pool.acquire());
        Lease<Res> b = now(pool.acquire());

        TestSubscriber<Void> closing = subscribe(pool.close());
        assertThat(closing.isTerminated()).isFalse();
        assertThat(a.get().destroyed).as("never taken from its user").isFalse();

        release(a);
        assertThat(fixture.destroyed).hasValue(1);
        assertThat(closing.isTerminated()).isFalse();

        b.invalidate().block(Duration.ofSeconds(5));
        assertThat(fixture.destroyed).hasValue(2);
        assertThat(closing.isTerminatedComplete()).isTrue();
        assertThat(fixture.live()).isZero();
    }

    @Test
    void leasedObjectIsDestroyedWithoutResetWhenReturnedAfterClose() {
        Sinks.Empty<Void> neverReset = Sinks.empty();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().resetter(r -> neverReset.asMono()));
        Lease<Res> lease = now(pool.acquire());
        pool.close().subscribe();

        release(lease);

        assertThat(lease.isReleased()).isTrue();
        assertThat(fixture.destroyed).hasValue(1);
    }

    @Test
    void closeCompletesAfterTheGracePeriodWhenLeasesAreKept() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().closeGracePeriod(Duration.ofSeconds(10)));
        Lease<Res> kept = now(pool.acquire());

        TestSubscriber<Void> closing = subscribe(pool.close());
        fixture.advance(Duration.ofMillis(9999));
        assertThat(closing.isTerminated()).isFalse();
        fixture.advance(Duration.ofMillis(1));

        assertThat(closing.isTerminatedComplete()).isTrue();
        // returned late: still destroyed
        release(kept);
        assertThat(fixture.destroyed).hasValue(1);
    }

    @Test
    void defaultGracePeriodIsThirtySeconds() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder());
        now(pool.acquire());

        TestSubscriber<Void> closing = subscribe(pool.close());
        fixture.advance(Duration.ofSeconds(29));
        assertThat(closing.isTerminated()).isFalse();
        fixture.advance(Duration.ofSeconds(1));

        assertThat(closing.isTerminatedComplete()).isTrue();
    }

    @Test
    void zeroGracePeriodCompletesAtOnce() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().closeGracePeriod(Duration.ZERO));
        now(pool.acquire());

        TestSubscriber<Void> closing = subscribe(pool.close());

        assertThat(closing.isTerminatedComplete()).isTrue();
    }

    @Test
    void closeWaitsForDestroyersToFinish() {
        fixture.holdDestroys();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder());
        release(now(pool.acquire()));

        TestSubscriber<Void> closing = subscribe(pool.close());
        assertThat(closing.isTerminated()).isFalse();

        fixture.completeDestroy();

        assertThat(closing.isTerminatedComplete()).isTrue();
    }

    @Test
    void resubscribingAfterCloseCompletesWhenTheFirstCloseDoes() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder());
        Lease<Res> lease = now(pool.acquire());
        TestSubscriber<Void> first = subscribe(pool.close());
        TestSubscriber<Void> again = subscribe(pool.close());
        assertThat(again.isTerminated()).isFalse();

        release(lease);

        assertThat(first.isTerminatedComplete()).isTrue();
        assertThat(again.isTerminatedComplete()).isTrue();
    }

    @Test
    void objectBeingCreatedAtCloseIsDestroyedAndItsAcquirerFails() {
        fixture.holdCreations();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder());
        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire());
        TestSubscriber<Void> closing = subscribe(pool.close());
        assertThat(closing.isTerminated()).as("an object is being created").isFalse();

        fixture.completeCreation();

        assertThat(acquirer.expectTerminalError()).isInstanceOf(PoolClosedException.class);
        assertThat(fixture.all.get(0).destroyed).isTrue();
        assertThat(closing.isTerminatedComplete()).isTrue();
    }

    @Test
    void objectBeingValidatedAtCloseIsDestroyedAndItsAcquirerFails() {
        Sinks.One<Boolean> verdict = Sinks.one();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().validator(r -> verdict.asMono()));
        release(now(pool.acquire()));
        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire());
        TestSubscriber<Void> closing = subscribe(pool.close());

        verdict.tryEmitValue(true).orThrow();

        assertThat(acquirer.expectTerminalError()).isInstanceOf(PoolClosedException.class);
        assertThat(fixture.all.get(0).destroyed).isTrue();
        assertThat(closing.isTerminatedComplete()).isTrue();
    }

    @Test
    void warmupAfterCloseCreatesNothing() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().minIdle(2));
        pool.close().block(Duration.ofSeconds(5));

        assertThat(pool.warmup().block(Duration.ofSeconds(5))).isZero();
        assertThat(fixture.allocatorSubscriptions).hasValue(0);
    }

    @Test
    void backgroundRefillStopsAfterClose() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().minIdle(2)
                .evictionInterval(Duration.ofSeconds(1)));
        pool.warmup().block(Duration.ofSeconds(5));
        pool.close().block(Duration.ofSeconds(5));

        fixture.advance(Duration.ofSeconds(10));

        assertThat(fixture.created).hasValue(2);
        assertThat(fixture.live()).isZero();
    }

    @Test
    void closeFromAnEventLoopThreadDoesNotBlock() throws Exception {
        Pool<Res> pool = fixture.build(fixture.builder().maxSize(2));
        release(now(pool.acquire()));
        Lease<Res> leased = now(pool.acquire());
        CompletableFuture<Void> closed = new CompletableFuture<>();

        Schedulers.parallel().schedule(() -> {
            pool.dispose();
            pool.close().subscribe(null, closed::completeExceptionally, () -> closed.complete(null));
        });
        Schedulers.parallel().schedule(() -> leased.release().subscribe());

        closed.get(5, TimeUnit.SECONDS);
        assertThat(fixture.live()).isZero();
    }

    @Test
    void objectBeingResetAtCloseIsDestroyedAfterTheReset() {
        Sinks.Empty<Void> reset = Sinks.empty();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().resetter(r -> reset.asMono()));
        Lease<Res> lease = now(pool.acquire());
        TestSubscriber<Void> releasing = subscribe(lease.release());

        TestSubscriber<Void> closing = subscribe(pool.close());
        assertThat(closing.isTerminated()).isFalse();
        reset.tryEmitEmpty().orThrow();

        assertThat(fixture.all.get(0).destroyed).isTrue();
        assertThat(releasing.isTerminatedComplete()).isTrue();
        assertThat(closing.isTerminatedComplete()).isTrue();
    }

    @Test
    void acquirerRetryingAfterAFailedValidationFailsWithPoolClosed() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2).validator(r -> Mono.just(r.id != 1)));
        Lease<Res> first = now(pool.acquire());
        Lease<Res> second = now(pool.acquire());
        release(first);
        fixture.holdDestroys(); // #1's destruction hangs, so its retrying acquirer must wait
        TestSubscriber<Lease<Res>> retrying = subscribe(pool.acquire());
        assertThat(retrying.isTerminated()).isFalse();

        TestSubscriber<Void> closing = subscribe(pool.close());

        assertThat(retrying.expectTerminalError()).isInstanceOf(PoolClosedException.class);
        fixture.completeDestroy(); // #1
        TestSubscriber<Void> releasing = subscribe(second.release());
        assertThat(closing.isTerminated()).isFalse();
        fixture.completeDestroy(); // #2, returned after the close
        assertThat(releasing.isTerminatedComplete()).isTrue();
        assertThat(closing.isTerminatedComplete()).isTrue();
        assertThat(fixture.live()).isZero();
    }
}
