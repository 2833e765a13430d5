package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.release;
import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import dev.reactivepool.PoolFixture.Res;
import dev.reactivepool.testsupport.ReactorLogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.subscriber.TestSubscriber;
import reactor.util.context.Context;

/**
 * Lifecycle events ({@link PoolListener}): each fires once, with the right figures and, for
 * destroyed objects, the right {@link DestroyReason}; driven by virtual time.
 */
class PoolListenerTest {

    private final PoolFixture fixture = new PoolFixture();
    private final RecordingListener<Res> recorder = new RecordingListener<>();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    private Pool<Res> pool(PoolBuilder<Res> builder) {
        return fixture.build(builder.listener(recorder.listener()));
    }

    @Test
    void anObjectsLifeIsReportedInOrderWithItsFigures() {
        Pool<Res> pool = pool(fixture.virtualTimeBuilder());

        long before = System.nanoTime();
        Lease<Res> first = now(pool.acquire());
        release(first);
        Lease<Res> second = now(pool.acquire()); // an idle hit
        release(second);
        long elapsed = System.nanoTime() - before;
        pool.close().block(Duration.ofSeconds(5));

        assertThat(recorder.kinds()).containsExactly("AcquireWaitStarted", "Created", "Acquired", "Released",
                "Acquired", "Released", "Destroyed");
        Res res = fixture.all.get(0);
        PoolEvent.Created<Res> created = recorder.of(PoolEvent.Created.class).get(0);
        assertThat(created.pool()).isEqualTo("test-pool");
        assertThat(created.object()).isSameAs(res);
        assertThat(created.creationTime()).isBetween(Duration.ZERO, Duration.ofNanos(elapsed));
        List<PoolEvent.Acquired> acquired = recorder.of(PoolEvent.Acquired.class);
        assertThat(acquired.get(0).waitTime()).as("the first acquire waited for the creation")
                .isBetween(created.creationTime(), Duration.ofNanos(elapsed));
        assertThat(acquired.get(0).timesAcquired()).isEqualTo(1);
        assertThat(acquired.get(1).waitTime()).as("an idle hit reads no clock").isZero();
        assertThat(acquired.get(1).timesAcquired()).isEqualTo(2);
        for (PoolEvent.Released released : recorder.of(PoolEvent.Released.class)) {
            assertThat(released.object()).isSameAs(res);
            assertThat(released.invalidated()).isFalse();
            assertThat(released.holdTime()).as("every hold time, not a sample")
                    .isPositive().isLessThanOrEqualTo(Duration.ofNanos(elapsed));
        }
        PoolEvent.Destroyed<Res> destroyed = recorder.of(PoolEvent.Destroyed.class).get(0);
        assertThat(destroyed.reason()).isEqualTo(DestroyReason.CLOSED);
        assertThat(destroyed.object()).isSameAs(res);
        assertThat(destroyed.timesAcquired()).isEqualTo(2);
        assertThat(destroyed.destroyError()).isNull();
        assertThat(recorder.createdForWait).as("the acquire it was created for is told").containsExactly(created);
        assertThat(recorder.waitEnds).singleElement().satisfies(end -> {
            assertThat(end.outcome()).isEqualTo(PoolEvent.AcquireOutcome.ACQUIRED);
            assertThat(end.waitTime()).isEqualTo(acquired.get(0).waitTime());
            assertThat(end.error()).isNull();
        });
    }

    @Test
    void eventsNeverRenderTheObject() {
        Pool<Res> pool = pool(fixture.virtualTimeBuilder());
        release(now(pool.acquire()));
        pool.close().block(Duration.ofSeconds(5));

        assertThat(recorder.events).isNotEmpty().allSatisfy(e -> assertThat(e.toString()).doesNotContain("Res#"));
    }

    @Test
    void creationFailureCarriesTheErrorAndTheAttemptTime() {
        IllegalStateException down = new IllegalStateException("backend down");
        fixture.failCreations(down);
        Pool<Res> pool = pool(fixture.virtualTimeBuilder());

        long before = System.nanoTime();
        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire());
        long elapsed = System.nanoTime() - before;

        assertThat(acquirer.expectTerminalError()).isSameAs(down);
        PoolEvent.CreationFailed failed = recorder.of(PoolEvent.CreationFailed.class).get(0);
        assertThat(failed.error()).isSameAs(down);
        assertThat(failed.attemptTime()).isBetween(Duration.ZERO, Duration.ofNanos(elapsed));
        assertThat(recorder.waitEnds).singleElement().satisfies(end -> {
            assertThat(end.outcome()).isEqualTo(PoolEvent.AcquireOutcome.ERROR);
            assertThat(end.error()).isSameAs(down);
        });
    }

    @Test
    void idleTimeout() {
        Pool<Res> pool = pool(fixture.virtualTimeBuilder().idleTimeout(Duration.ofSeconds(10)));
        release(now(pool.acquire()));

        fixture.advance(Duration.ofSeconds(12));

        assertThat(recorder.destroyReasons()).containsExactly(DestroyReason.IDLE_TIMEOUT);
        PoolEvent.Destroyed<?> destroyed = recorder.of(PoolEvent.Destroyed.class).get(0);
        assertThat(destroyed.age()).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(12));
        assertThat(destroyed.timesAcquired()).isEqualTo(1);
    }

    @Test
    void lifetimeOfAnIdleObject() {
        Pool<Res> pool = pool(fixture.virtualTimeBuilder().maxLifetime(Duration.ofSeconds(10)));
        release(now(pool.acquire()));

        fixture.advance(Duration.ofSeconds(12));

        assertThat(recorder.destroyReasons()).containsExactly(DestroyReason.LIFETIME);
    }

    @Test
    void lifetimeOfAnObjectReturnedPastIt() {
        Pool<Res> pool = pool(fixture.virtualTimeBuilder().maxLifetime(Duration.ofSeconds(10)));
        Lease<Res> lease = now(pool.acquire());
        fixture.advance(Duration.ofSeconds(12));

        release(lease);

        assertThat(recorder.destroyReasons()).containsExactly(DestroyReason.LIFETIME);
    }

    @Test
    void maxUses() {
        Pool<Res> pool = pool(fixture.virtualTimeBuilder().maxUses(2));
        release(now(pool.acquire()));
        assertThat(recorder.destroyReasons()).isEmpty();

        release(now(pool.acquire()));

        assertThat(recorder.destroyReasons()).containsExactly(DestroyReason.MAX_USES);
        assertThat(recorder.of(PoolEvent.Destroyed.class).get(0).timesAcquired()).isEqualTo(2);
    }

    @Test
    void maxIdleCap() {
        Pool<Res> pool = pool(fixture.virtualTimeBuilder().maxSize(2).maxIdle(1));
        Lease<Res> a = now(pool.acquire());
        Lease<Res> b = now(pool.acquire());
        release(a);

        release(b);

        assertThat(recorder.destroyReasons()).containsExactly(DestroyReason.MAX_IDLE);
        assertThat(recorder.of(PoolEvent.Destroyed.class).get(0).object()).isSameAs(fixture.all.get(1));
    }

    @Test
    void evictionPredicateOnAcquire() {
        AtomicBoolean broken = new AtomicBoolean();
        Pool<Res> pool = pool(fixture.virtualTimeBuilder().evictionPredicate(res -> broken.get()));
        release(now(pool.acquire()));
        broken.set(true);

        Lease<Res> lease = now(pool.acquire());

        assertThat(lease.get()).isSameAs(fixture.all.get(1));
        assertThat(recorder.destroyReasons()).containsExactly(DestroyReason.EVICTION_PREDICATE);
        assertThat(recorder.of(PoolEvent.Destroyed.class).get(0).object()).isSameAs(fixture.all.get(0));
    }

    @Test
    void evictionPredicateInTheBackground() {
        AtomicBoolean broken = new AtomicBoolean();
        Pool<Res> pool = pool(fixture.virtualTimeBuilder().evictionPredicate(res -> broken.get()));
        release(now(pool.acquire()));
        broken.set(true);

        fixture.advance(Duration.ofSeconds(2));

        assertThat(recorder.destroyReasons()).containsExactly(DestroyReason.EVICTION_PREDICATE);
    }

    @Test
    void evictAllIdleAtOnceAndLeasedOnReturn() {
        Pool<Res> pool = pool(fixture.virtualTimeBuilder().maxSize(2));
        Lease<Res> idleSoon = now(pool.acquire());
        Lease<Res> held = now(pool.acquire());
        release(idleSoon);

        pool.evictAll();
        assertThat(recorder.destroyReasons()).as("the idle one, at once").containsExactly(DestroyReason.EVICT_ALL);
        release(held);

        assertThat(recorder.destroyReasons()).containsExactly(DestroyReason.EVICT_ALL, DestroyReason.EVICT_ALL);
    }

    @Test
    void resizeDownDestroysTheSurplus() {
        Pool<Res> pool = pool(fixture.virtualTimeBuilder().maxSize(2));
        Lease<Res> a = now(pool.acquire());
        Lease<Res> b = now(pool.acquire());
        release(a);
        release(b);

        pool.resize(1);

        assertThat(recorder.destroyReasons()).containsExactly(DestroyReason.RESIZE);
    }

    @Test
    void sharedLeasesReportEveryAcquireAndRelease() {
        Pool<Res> pool = pool(fixture.virtualTimeBuilder().maxSize(1).maxLeasesPerObject(2));
        Lease<Res> one = now(pool.acquire());
        Lease<Res> two = now(pool.acquire());
        release(one);
        two.invalidate().block(Duration.ofSeconds(5));

        assertThat(recorder.of(PoolEvent.Acquired.class)).hasSize(2);
        assertThat(recorder.of(PoolEvent.Released.class)).extracting(PoolEvent.Released::invalidated)
                .containsExactly(false, true);
        assertThat(recorder.destroyReasons()).containsExactly(DestroyReason.INVALIDATED);
    }

    @Test
    void invalidated() {
        Pool<Res> pool = pool(fixture.virtualTimeBuilder());
        Lease<Res> lease = now(pool.acquire());

        lease.invalidate().block(Duration.ofSeconds(5));

        assertThat(recorder.of(PoolEvent.Released.class)).singleElement()
                .satisfies(r -> assertThat(r.invalidated()).isTrue());
        assertThat(recorder.destroyReasons()).containsExactly(DestroyReason.INVALIDATED);
    }

    @Test
    void validationAnsweringFalse() {
        Pool<Res> pool = pool(fixture.virtualTimeBuilder().validator(res -> Mono.just(res.id != 1)));
        release(now(pool.acquire()));

        Lease<Res> lease = now(pool.acquire());

        assertThat(lease.get()).isSameAs(fixture.all.get(1));
        assertThat(recorder.of(PoolEvent.ValidationFailed.class)).singleElement().satisfies(v -> {
            assertThat(v.object()).isSameAs(fixture.all.get(0));
            assertThat(v.error()).isNull();
        });
        assertThat(recorder.destroyReasons()).containsExactly(DestroyReason.VALIDATION_FAILED);
    }

    @Test
    void validationFailingWithAnError() {
        IllegalStateException dead = new IllegalStateException("dead");
        Pool<Res> pool = pool(fixture.virtualTimeBuilder()
                .validator(res -> res.id == 1 ? Mono.error(dead) : Mono.just(true)));
        release(now(pool.acquire()));

        now(pool.acquire());

        assertThat(recorder.of(PoolEvent.ValidationFailed.class)).singleElement()
                .satisfies(v -> assertThat(v.error()).isSameAs(dead));
        assertThat(recorder.destroyReasons()).containsExactly(DestroyReason.VALIDATION_FAILED);
    }

    @Test
    void failedReset() {
        IllegalStateException dirty = new IllegalStateException("rollback failed");
        Pool<Res> pool = pool(fixture.virtualTimeBuilder().resetter(res -> Mono.error(dirty)));

        release(now(pool.acquire()));

        assertThat(recorder.of(PoolEvent.ResetFailed.class)).singleElement()
                .satisfies(r -> assertThat(r.error()).isSameAs(dirty));
        assertThat(recorder.destroyReasons()).containsExactly(DestroyReason.RESET_FAILED);
    }

    @Test
    void closedDestroysIdleObjectsAtOnceAndLeasedOnesOnReturn() {
        Pool<Res> pool = pool(fixture.virtualTimeBuilder());
        Lease<Res> held = now(pool.acquire());
        release(now(pool.acquire()));
        pool.close().subscribe();
        assertThat(recorder.destroyReasons()).containsExactly(DestroyReason.CLOSED);

        release(held);

        assertThat(recorder.destroyReasons()).containsExactly(DestroyReason.CLOSED, DestroyReason.CLOSED);
        assertThat(recorder.of(PoolEvent.Destroyed.class)).extracting(PoolEvent.Destroyed::object)
                .containsExactly(fixture.all.get(1), fixture.all.get(0));
    }

    @Test
    void destroyerFailureIsReported() {
        IllegalStateException stuck = new IllegalStateException("close failed");
        Pool<Res> pool = pool(fixture.virtualTimeBuilder().destroyer(res -> Mono.error(stuck)));
        now(pool.acquire()).invalidate().block(Duration.ofSeconds(5));

        assertThat(recorder.of(PoolEvent.Destroyed.class)).singleElement()
                .satisfies(d -> assertThat(d.destroyError()).isSameAs(stuck));
        assertThat(pool.metrics().total()).isZero();
    }

    @Test
    void leakSuspected() {
        Pool<Res> pool = pool(fixture.virtualTimeBuilder().leakDetectionThreshold(Duration.ofSeconds(5)));
        Lease<Res> lease = now(pool.acquire());

        fixture.advance(Duration.ofSeconds(7));

        assertThat(recorder.of(PoolEvent.LeakSuspected.class)).singleElement().satisfies(leak -> {
            assertThat(leak.object()).isSameAs(lease.get());
            assertThat(leak.heldFor()).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(7));
            assertThat(leak.acquiredAt()).isNotNull();
        });
    }

    @Test
    void anAcquireThatWaitsIsFollowedUntilItGetsALease() {
        Pool<Res> pool = pool(fixture.virtualTimeBuilder().maxSize(1));
        Lease<Res> holder = now(pool.acquire());
        recorder.events.clear();
        recorder.waitEnds.clear();
        recorder.createdForWait.clear();
        TestSubscriber<Lease<Res>> waiter = TestSubscriber.create();
        pool.acquire().contextWrite(Context.of("trace", "t-1")).subscribe(waiter);

        assertThat(recorder.of(PoolEvent.AcquireWaitStarted.class)).singleElement()
                .satisfies(w -> assertThat(w.context().<String>get("trace")).isEqualTo("t-1"));
        assertThat(recorder.waitEnds).isEmpty();
        release(holder);

        assertThat(waiter.getReceivedOnNext()).hasSize(1);
        assertThat(recorder.waitEnds).singleElement()
                .satisfies(end -> assertThat(end.outcome()).isEqualTo(PoolEvent.AcquireOutcome.ACQUIRED));
        assertThat(recorder.createdForWait).isEmpty();
    }

    @Test
    void anAcquireThatTimesOutOrIsCancelledIsFollowedToItsEnd() {
        Pool<Res> pool = pool(fixture.virtualTimeBuilder().maxSize(1).acquireTimeout(Duration.ofSeconds(3)));
        now(pool.acquire());
        recorder.waitEnds.clear(); // the first acquire waited for its creation
        TestSubscriber<Lease<Res>> timesOut = subscribe(pool.acquire());
        TestSubscriber<Lease<Res>> cancels = subscribe(pool.acquire());
        cancels.cancel();

        fixture.advance(Duration.ofSeconds(4));

        assertThat(timesOut.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
        assertThat(recorder.waitEnds).extracting(PoolEvent.AcquireWaitEnded::outcome)
                .containsExactly(PoolEvent.AcquireOutcome.CANCELLED, PoolEvent.AcquireOutcome.TIMEOUT);
        assertThat(recorder.waitEnds.get(1).error()).isSameAs(timesOut.expectTerminalError());
        assertThat(recorder.waitEnds.get(1).waitTime()).as("the virtual clock is not the wait's clock")
                .isGreaterThanOrEqualTo(Duration.ZERO);
    }

    @Test
    void anIdleHitStartsNoWait() {
        Pool<Res> pool = pool(fixture.virtualTimeBuilder());
        release(now(pool.acquire()));
        recorder.events.clear();

        release(now(pool.acquire()));

        assertThat(recorder.kinds()).containsExactly("Acquired", "Released");
    }

    @Test
    void listenersAreCalledInRegistrationOrder() {
        List<String> calls = new CopyOnWriteArrayList<>();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder()
                .listener(new PoolListener<Res>() {
                    @Override
                    public void acquired(PoolEvent.Acquired<Res> event) {
                        calls.add("first");
                    }
                })
                .listener(new PoolListener<Object>() { // a listener of a supertype
                    @Override
                    public void acquired(PoolEvent.Acquired<Object> event) {
                        calls.add("second");
                    }
                }));

        now(pool.acquire());

        assertThat(calls).containsExactly("first", "second");
    }

    @Test
    void aThrowingListenerIsLoggedOnceAndTheOthersAndThePoolCarryOn() {
        PoolListener<Object> throwing = new ThrowingListener();
        try (ReactorLogCapture log = ReactorLogCapture.start()) {
            Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().name("throwing-listener-pool").maxSize(1)
                    .listener(throwing).listener(recorder.listener()));
            for (int i = 0; i < 5; i++) {
                release(now(pool.acquire()));
            }
            Lease<Res> holder = now(pool.acquire());
            TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());
            release(holder);
            release(waiter.getReceivedOnNext().get(0));

            assertThat(recorder.of(PoolEvent.Acquired.class)).hasSize(7);
            assertThat(recorder.of(PoolEvent.Released.class)).hasSize(7);
            PoolMetrics metrics = pool.metrics();
            assertThat(metrics.leased()).isZero();
            assertThat(metrics.idle()).isEqualTo(1);
            assertThat(metrics.total()).isEqualTo(1);
            String warnings = log.warnings();
            assertThat(warnings.split(Pattern.quote(ThrowingListener.class.getName() + " threw"), -1))
                    .as("one WARN for the listener, however often it throws").hasSize(2);
            assertThat(warnings).contains("throwing-listener-pool");
        }
    }

    @Test
    void aNullListenerIsRejectedAtBuild() {
        assertThatThrownBy(() -> fixture.builder().listener(null).build())
                .isInstanceOf(InvalidPoolConfigurationException.class)
                .hasMessageContaining("listener");
    }

    /** Throws from every event, including the acquire-wait callbacks. */
    static final class ThrowingListener implements PoolListener<Object> {
        private final AtomicInteger waits = new AtomicInteger();

        @Override
        public void created(PoolEvent.Created<Object> event) {
            throw new IllegalStateException("listener bug");
        }

        @Override
        public void creationFailed(PoolEvent.CreationFailed event) {
            throw new IllegalStateException("listener bug");
        }

        @Override
        public void acquired(PoolEvent.Acquired<Object> event) {
            throw new IllegalStateException("listener bug");
        }

        @Override
        public void released(PoolEvent.Released<Object> event) {
            throw new IllegalStateException("listener bug");
        }

        @Override
        public void validationFailed(PoolEvent.ValidationFailed<Object> event) {
            throw new IllegalStateException("listener bug");
        }

        @Override
        public void resetFailed(PoolEvent.ResetFailed<Object> event) {
            throw new IllegalStateException("listener bug");
        }

        @Override
        public void destroyed(PoolEvent.Destroyed<Object> event) {
            throw new IllegalStateException("listener bug");
        }

        @Override
        public void leakSuspected(PoolEvent.LeakSuspected<Object> event) {
            throw new IllegalStateException("listener bug");
        }

        @Override
        public AcquireWait<Object> acquireWaitStarted(PoolEvent.AcquireWaitStarted event) {
            if (waits.incrementAndGet() % 2 == 0) { // every other one throws here, the rest from their handle
                throw new IllegalStateException("listener bug");
            }
            return new AcquireWait<>() {
                @Override
                public void created(PoolEvent.Created<Object> created) {
                    throw new IllegalStateException("listener bug");
                }

                @Override
                public void ended(PoolEvent.AcquireWaitEnded ended) {
                    throw new IllegalStateException("listener bug");
                }
            };
        }
    }
}
