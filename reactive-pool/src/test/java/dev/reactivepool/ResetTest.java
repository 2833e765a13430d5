package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.release;
import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.subscriber.TestSubscriber;

/**
 * DESIGN "Validation and reset are asynchronous": every released object is reset before reuse;
 * a reset that fails, throws or times out destroys the object, which is never handed out dirty.
 */
class ResetTest {

    private final PoolFixture fixture = new PoolFixture();
    private final List<Res> resets = new CopyOnWriteArrayList<>();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    @Test
    void releasedObjectIsResetOnceBeforeReuse() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder()
                .resetter(r -> Mono.fromRunnable(() -> resets.add(r))));
        Lease<Res> lease = now(pool.acquire());
        Res res = lease.get();
        assertThat(resets).isEmpty();

        release(lease);

        assertThat(resets).containsExactly(res);
        assertThat(now(pool.acquire()).get()).isSameAs(res);
        assertThat(resets).hasSize(1);
    }

    @Test
    void waiterGetsTheObjectOnlyAfterItsResetCompleted() {
        Sinks.Empty<Void> reset = Sinks.empty();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).resetter(r -> reset.asMono()));
        Lease<Res> lease = now(pool.acquire());
        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());

        TestSubscriber<Void> releasing = subscribe(lease.release());
        assertThat(waiter.getReceivedOnNext()).isEmpty();
        assertThat(releasing.isTerminated()).isFalse();

        reset.tryEmitEmpty().orThrow();

        assertThat(waiter.getReceivedOnNext()).hasSize(1);
        assertThat(releasing.isTerminatedComplete()).isTrue();
    }

    @Test
    void failedResetDestroysTheObject() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder()
                .resetter(r -> Mono.error(new IllegalStateException("rollback failed"))));
        Lease<Res> lease = now(pool.acquire());
        Res res = lease.get();

        StepVerifier.create(lease.release()).verifyComplete();

        assertThat(res.destroyed).isTrue();
        assertThat(pool.metrics().resetFailures()).isEqualTo(1);
        assertThat(pool.metrics().idle()).isZero();
        assertThat(pool.metrics().total()).isZero();
        assertThat(now(pool.acquire()).get()).isNotSameAs(res);
    }

    @Test
    void throwingResetterDestroysTheObject() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder()
                .resetter(r -> {
                    throw new IllegalStateException("resetter bug");
                }));
        Lease<Res> lease = now(pool.acquire());
        Res res = lease.get();

        StepVerifier.create(lease.release()).verifyComplete();

        assertThat(res.destroyed).isTrue();
        assertThat(pool.metrics().resetFailures()).isEqualTo(1);
        assertThat(pool.metrics().total()).isZero();
    }

    @Test
    void timedOutResetDestroysTheObject() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1)
                .resetter(r -> Mono.never()).resetTimeout(Duration.ofSeconds(2)));
        Lease<Res> lease = now(pool.acquire());
        Res res = lease.get();
        TestSubscriber<Void> releasing = subscribe(lease.release());
        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());

        fixture.advance(Duration.ofMillis(1999));
        assertThat(res.destroyed).isFalse();
        assertThat(waiter.getReceivedOnNext()).isEmpty();
        fixture.advance(Duration.ofMillis(1));

        assertThat(res.destroyed).isTrue();
        assertThat(releasing.isTerminatedComplete()).isTrue();
        assertThat(pool.metrics().resetFailures()).isEqualTo(1);
        assertThat(waiter.getReceivedOnNext()).as("a new object for the waiter")
                .singleElement().extracting(Lease::get).isNotSameAs(res);
    }

    @Test
    void invalidateSkipsTheReset() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder()
                .resetter(r -> Mono.fromRunnable(() -> resets.add(r))));
        Lease<Res> lease = now(pool.acquire());

        lease.invalidate().block(Duration.ofSeconds(5));

        assertThat(resets).isEmpty();
        assertThat(fixture.destroyed).hasValue(1);
    }

    @Test
    void resetRunsAgainOnEveryRelease() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1)
                .resetter(r -> Mono.fromRunnable(() -> resets.add(r))));

        for (int i = 0; i < 5; i++) {
            release(now(pool.acquire()));
        }

        assertThat(resets).hasSize(5).containsOnly(fixture.all.get(0));
    }
}
