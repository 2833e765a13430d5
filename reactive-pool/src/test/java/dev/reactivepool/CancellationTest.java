package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.release;
import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.reactivepool.PoolFixture.Res;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.subscriber.TestSubscriber;
import reactor.test.util.RaceTestUtils;

/**
 * DESIGN "Cancellation and timeouts never leak": cancelling an acquire at any instant (waiting,
 * creating, validating, before requesting, racing the hand-off) returns the object to the idle set
 * or to the next waiter, and the permit is not lost.
 */
class CancellationTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    /** With maxSize 1, proves the only permit is usable: a new acquire gets a lease at once. */
    private static void assertSinglePermitUsable(Pool<Res> pool) {
        Lease<Res> lease = now(pool.acquire());
        assertThat(lease).isNotNull();
        release(lease);
    }

    @Test
    void cancelWhileWaitingLeavesTheQueueAndTheObjectGoesIdle() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        Lease<Res> holder = now(pool.acquire());
        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());
        assertThat(pool.metrics().pending()).isEqualTo(1);

        waiter.cancel();

        assertThat(pool.metrics().pending()).isZero();
        release(holder);
        assertThat(waiter.getReceivedOnNext()).isEmpty();
        assertThat(pool.metrics().idle()).isEqualTo(1);
        assertSinglePermitUsable(pool);
        assertThat(fixture.created).hasValue(1);
    }

    @Test
    void cancelledWaiterIsSkippedAndTheNextWaiterServed() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        Lease<Res> holder = now(pool.acquire());
        TestSubscriber<Lease<Res>> first = subscribe(pool.acquire());
        TestSubscriber<Lease<Res>> second = subscribe(pool.acquire());

        first.cancel();
        release(holder);

        assertThat(first.getReceivedOnNext()).isEmpty();
        assertThat(second.getReceivedOnNext()).hasSize(1);
        assertThat(pool.metrics().pending()).isZero();
    }

    @Test
    void cancelWhileCreatingKeepsTheObjectAndThePermit() {
        fixture.holdCreations();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire());
        assertThat(pool.metrics().creating()).isEqualTo(1);

        acquirer.cancel();
        if (fixture.heldCreations() > 0) {
            fixture.completeCreation();
        }
        fixture.releaseCreations();

        assertThat(acquirer.getReceivedOnNext()).isEmpty();
        assertThat(pool.metrics().creating()).isZero();
        assertSinglePermitUsable(pool);
        assertThat(fixture.liveOrCreating()).isEqualTo(pool.metrics().total()).isEqualTo(1);
    }

    @Test
    void objectCreatedForACancelledAcquirerGoesToTheNextWaiter() {
        fixture.holdCreations();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        TestSubscriber<Lease<Res>> cancelled = subscribe(pool.acquire());
        TestSubscriber<Lease<Res>> next = subscribe(pool.acquire());

        cancelled.cancel();
        fixture.completeCreation();

        assertThat(cancelled.getReceivedOnNext()).isEmpty();
        assertThat(next.getReceivedOnNext()).singleElement().extracting(Lease::get).isSameAs(fixture.all.get(0));
        assertThat(fixture.allocatorSubscriptions).hasValue(1);
    }

    @Test
    void cancelWhileValidatingReturnsTheObject() {
        Sinks.One<Boolean> verdict = Sinks.one();
        AtomicInteger validations = new AtomicInteger();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1)
                .validator(r -> validations.incrementAndGet() == 1 ? verdict.asMono() : Mono.just(true)));
        release(now(pool.acquire()));
        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire());
        assertThat(validations).hasValue(1);

        acquirer.cancel();
        if (verdict.currentSubscriberCount() > 0) {
            verdict.tryEmitValue(true).orThrow();
        }

        assertThat(acquirer.getReceivedOnNext()).isEmpty();
        Lease<Res> lease = now(pool.acquire());
        assertThat(lease.get()).isSameAs(fixture.all.get(0));
        assertThat(pool.metrics().total()).isEqualTo(1);
    }

    @Test
    void cancelWhileValidatingHandsTheObjectToTheNextWaiter() {
        Sinks.One<Boolean> verdict = Sinks.one();
        AtomicInteger validations = new AtomicInteger();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1)
                .validator(r -> validations.incrementAndGet() == 1 ? verdict.asMono() : Mono.just(true)));
        release(now(pool.acquire()));
        TestSubscriber<Lease<Res>> validating = subscribe(pool.acquire());
        TestSubscriber<Lease<Res>> waiting = subscribe(pool.acquire());

        validating.cancel();
        if (verdict.currentSubscriberCount() > 0) {
            verdict.tryEmitValue(true).orThrow();
        }

        assertThat(waiting.getReceivedOnNext()).singleElement().extracting(Lease::get)
                .isSameAs(fixture.all.get(0));
    }

    @Test
    void cancelBeforeRequestingReturnsTheIdleObject() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        release(now(pool.acquire()));
        TestSubscriber<Lease<Res>> lazy = TestSubscriber.<Lease<Res>>builder().initialRequest(0).build();
        pool.acquire().subscribe(lazy);

        lazy.cancel();

        assertThat(lazy.getReceivedOnNext()).isEmpty();
        assertThat(pool.metrics().leased()).isZero();
        assertSinglePermitUsable(pool);
    }

    @Test
    void cancelBeforeRequestingReturnsAHandedOffObjectToTheNextWaiter() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        Lease<Res> holder = now(pool.acquire());
        TestSubscriber<Lease<Res>> lazy = TestSubscriber.<Lease<Res>>builder().initialRequest(0).build();
        pool.acquire().subscribe(lazy);
        TestSubscriber<Lease<Res>> next = subscribe(pool.acquire());

        release(holder);
        lazy.cancel();

        assertThat(lazy.getReceivedOnNext()).isEmpty();
        assertThat(next.getReceivedOnNext()).as("the object assigned to the lazy acquirer moved on")
                .hasSize(1);
    }

    @Test
    void aLateRequestStillReceivesTheLease() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        release(now(pool.acquire()));
        TestSubscriber<Lease<Res>> lazy = TestSubscriber.<Lease<Res>>builder().initialRequest(0).build();
        pool.acquire().subscribe(lazy);
        assertThat(lazy.getReceivedOnNext()).isEmpty();

        lazy.request(1);

        assertThat(lazy.getReceivedOnNext()).hasSize(1);
        assertThat(lazy.isTerminatedComplete()).isTrue();
    }

    @Test
    void cancellingAfterTheLeaseWasEmittedDoesNotReleaseIt() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire());

        acquirer.cancel();

        Lease<Res> lease = acquirer.getReceivedOnNext().get(0);
        assertThat(lease.isReleased()).isFalse();
        assertThat(pool.metrics().leased()).isEqualTo(1);
        release(lease);
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }

    @Test
    void cancelRacingReleaseNeverLosesTheObject() {
        Pool<Res> pool = fixture.build(fixture.builder().maxSize(1));
        for (int round = 0; round < 500; round++) {
            Lease<Res> holder = now(pool.acquire());
            TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());

            RaceTestUtils.race(waiter::cancel, () -> holder.release().subscribe());

            if (!waiter.getReceivedOnNext().isEmpty()) {
                release(waiter.getReceivedOnNext().get(0)); // the release won: the waiter owns it
            }
            assertThat(pool.metrics().pending()).isZero();
            assertThat(pool.metrics().leased()).isZero();
            assertThat(pool.metrics().idle()).as("round %d", round).isEqualTo(1);
        }
        assertThat(fixture.created).hasValue(1);
    }

    @Test
    void randomCancellationsFromManyThreadsNeverLeakPermits() {
        Pool<Res> pool = fixture.build(fixture.builder().maxSize(3)
                .validator(r -> Mono.just(true).delayElement(Duration.ofNanos(ThreadLocalRandom.current().nextInt(20_000))))
                .resetter(r -> Mono.delay(Duration.ofNanos(ThreadLocalRandom.current().nextInt(20_000))).then()));
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();

        Flux.range(0, 3000)
                .parallel(4)
                .runOn(Schedulers.parallel())
                .doOnNext(i -> {
                    // cancelling user work is only safe when the lease is scoped (withLease); a bare
                    // acquire may be cancelled up to the delivery of its lease
                    Disposable d = i % 2 == 0
                            ? pool.withLease(r -> Mono.delay(Duration.ofNanos(10_000))).subscribe(null, errors::add)
                            : pool.acquire(Duration.ofSeconds(20)).flatMap(Lease::release).subscribe(null, errors::add);
                    if (i % 3 == 0) {
                        d.dispose();
                    }
                })
                .sequential()
                .blockLast(Duration.ofSeconds(30));

        Awaitility.await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
            PoolMetrics m = pool.metrics();
            assertThat(m.leased()).isZero();
            assertThat(m.pending()).isZero();
            assertThat(m.creating()).isZero();
        });
        assertThat(errors).isEmpty();
        assertThat(fixture.maxLiveOrCreating()).isLessThanOrEqualTo(3);
        // every permit is still usable: three leases at once
        List<Lease<Res>> leases = Flux.range(0, 3).flatMap(i -> pool.acquire(Duration.ofSeconds(5)))
                .collectList().block(Duration.ofSeconds(10));
        assertThat(leases).hasSize(3);
        assertThat(fixture.live()).isEqualTo(pool.metrics().total()).isEqualTo(3);
        leases.forEach(PoolFixture::release);
    }
}
