package dev.reactivepool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.subscriber.TestSubscriber;

/**
 * {@link Pool#withLease}: the lease is scoped by {@code usingWhen} and released, through the
 * resetter, when the work completes, fails or is cancelled.
 */
class WithLeaseTest {

    private final PoolFixture fixture = new PoolFixture();
    private final List<Res> resets = new CopyOnWriteArrayList<>();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    private Pool<Res> poolWithResetter() {
        return fixture.build(fixture.virtualTimeBuilder().maxSize(1)
                .resetter(r -> Mono.fromRunnable(() -> resets.add(r))));
    }

    @Test
    void releasesOnComplete() {
        Pool<Res> pool = poolWithResetter();

        StepVerifier.create(pool.withLease(r -> Flux.just(r.id, r.id * 10)))
                .expectNext(1, 10)
                .verifyComplete();

        assertThat(resets).containsExactly(fixture.all.get(0));
        assertThat(pool.metrics().leased()).isZero();
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }

    @Test
    void releasesOnErrorThroughTheResetter() {
        Pool<Res> pool = poolWithResetter();
        IllegalStateException failure = new IllegalStateException("query failed");

        StepVerifier.create(pool.withLease(r -> Mono.error(failure)))
                .expectErrorSatisfies(e -> assertThat(e).isSameAs(failure))
                .verify(Duration.ofSeconds(5));

        assertThat(resets).hasSize(1);
        assertThat(pool.metrics().leased()).isZero();
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }

    @Test
    void releasesWhenTheWorkFunctionThrows() {
        Pool<Res> pool = poolWithResetter();

        StepVerifier.create(pool.withLease(r -> {
                    throw new IllegalArgumentException("bad query");
                }))
                .expectError(IllegalArgumentException.class)
                .verify(Duration.ofSeconds(5));

        assertThat(pool.metrics().leased()).isZero();
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }

    @Test
    void releasesOnCancel() {
        Pool<Res> pool = poolWithResetter();
        AtomicBoolean workCancelled = new AtomicBoolean();
        TestSubscriber<Object> subscriber = TestSubscriber.create();
        pool.withLease(r -> Flux.never().doOnCancel(() -> workCancelled.set(true))).subscribe(subscriber);
        assertThat(pool.metrics().leased()).isEqualTo(1);

        subscriber.cancel();

        assertThat(resets).hasSize(1);
        assertThat(pool.metrics().leased()).isZero();
        assertThat(pool.metrics().idle()).isEqualTo(1);
        assertThat(workCancelled).isTrue();
    }

    @Test
    void releasesWhenTakeCancelsTheWorkEarly() {
        Pool<Res> pool = poolWithResetter();

        StepVerifier.create(pool.withLease(r -> Flux.range(0, 1000)).take(3))
                .expectNext(0, 1, 2)
                .verifyComplete();

        assertThat(pool.metrics().leased()).isZero();
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }

    @Test
    void isLazy() {
        Pool<Res> pool = poolWithResetter();

        Flux<Integer> work = pool.withLease(r -> Mono.just(r.id));

        assertThat(fixture.allocatorSubscriptions).hasValue(0);
        assertThat(pool.metrics().leased()).isZero();
        StepVerifier.create(work).expectNext(1).verifyComplete();
    }

    @Test
    void eachSubscriptionLeasesItsOwnObject() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2));
        Sinks.Empty<Void> hold = Sinks.empty();
        AtomicReference<Res> first = new AtomicReference<>();
        Flux<Res> work = pool.withLease(r -> hold.asMono().thenReturn(r));

        TestSubscriber<Res> a = TestSubscriber.create();
        TestSubscriber<Res> b = TestSubscriber.create();
        work.subscribe(a);
        work.subscribe(b);
        assertThat(pool.metrics().leased()).isEqualTo(2);

        hold.tryEmitEmpty().orThrow();

        first.set(a.getReceivedOnNext().get(0));
        assertThat(b.getReceivedOnNext().get(0)).isNotSameAs(first.get());
        assertThat(pool.metrics().idle()).isEqualTo(2);
    }

    @Test
    void waitsForAnObjectLikeAcquire() {
        Pool<Res> pool = poolWithResetter();
        Sinks.Empty<Void> hold = Sinks.empty();
        TestSubscriber<Integer> holder = TestSubscriber.create();
        pool.withLease(r -> hold.asMono().thenReturn(r.id)).subscribe(holder);

        TestSubscriber<Integer> waiter = TestSubscriber.create();
        pool.withLease(r -> Mono.just(r.id * 100)).subscribe(waiter);
        assertThat(pool.metrics().pending()).isEqualTo(1);

        hold.tryEmitEmpty().orThrow();

        assertThat(holder.getReceivedOnNext()).containsExactly(1);
        assertThat(waiter.getReceivedOnNext()).containsExactly(100);
        assertThat(waiter.isTerminatedComplete()).isTrue();
    }

    @Test
    void propagatesAcquireErrors() {
        Pool<Res> pool = poolWithResetter();
        pool.close().block(Duration.ofSeconds(5));

        StepVerifier.create(pool.withLease(r -> Mono.just(r.id)))
                .expectError(PoolClosedException.class)
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void objectMustNotEscapeButTheLeaseIsDeadAfterwards() {
        Pool<Res> pool = poolWithResetter();
        AtomicReference<Res> escaped = new AtomicReference<>();

        pool.withLease(r -> {
            escaped.set(r);
            return Mono.empty();
        }).blockLast(Duration.ofSeconds(5));

        // the object went back: the next lease gets it again, through the pool
        StepVerifier.create(pool.withLease(r -> Mono.just(r == escaped.get()))).expectNext(true).verifyComplete();
        assertThat(resets).hasSize(2);
    }

    @Test
    void releasesWhenTheWorkReturnsNoPublisher() {
        Pool<Res> pool = poolWithResetter();

        StepVerifier.create(pool.withLease(r -> null))
                .expectError(NullPointerException.class)
                .verify(Duration.ofSeconds(5));

        assertThat(pool.metrics().leased()).isZero();
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }

    @Test
    void aFailingResetDestroysTheObjectWithoutFailingTheWork() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1)
                .resetter(r -> Mono.error(new IllegalStateException("rollback failed"))));

        StepVerifier.create(pool.withLease(r -> Mono.just(r.id)))
                .expectNext(1)
                .verifyComplete();

        assertThat(fixture.all.get(0).destroyed).isTrue();
        assertThat(pool.metrics().resetFailures()).isEqualTo(1);
        assertThat(pool.metrics().total()).isZero();
    }
}
