package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.release;
import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import dev.reactivepool.PoolFixture.Res;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.subscriber.TestSubscriber;
import reactor.test.util.RaceTestUtils;

/**
 * DESIGN "Cancellation and timeouts never leak", under real concurrency: each pool transition
 * raced against a cancellation, a timeout or a close, many times, with the object's final place
 * checked after each round.
 */
class RaceTest {

    private static final int ROUNDS = 300;

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    @Test
    void timeoutRacingHandOff() {
        Pool<Res> pool = fixture.build(fixture.builder().maxSize(1));
        for (int round = 0; round < ROUNDS; round++) {
            Lease<Res> holder = now(pool.acquire());
            TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire(Duration.ofNanos(1 + round % 50 * 1000)));

            holder.release().subscribe();
            waiter.block(Duration.ofSeconds(5));

            if (!waiter.getReceivedOnNext().isEmpty()) {
                release(waiter.getReceivedOnNext().get(0));
            } else {
                assertThat(waiter.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
            }
            int r = round;
            Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .atMost(5, TimeUnit.SECONDS)
                    .untilAsserted(() -> assertThat(pool.metrics().idle()).as("round %d", r).isEqualTo(1));
            assertThat(pool.metrics().pending()).isZero();
        }
        assertThat(fixture.created).hasValue(1);
    }

    @Test
    void cancelRacingCreationCompletion() {
        fixture.holdCreations();
        Pool<Res> pool = fixture.build(fixture.builder().maxSize(1));
        for (int round = 0; round < ROUNDS; round++) {
            TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire());
            assertThat(fixture.heldCreations()).isEqualTo(1);

            RaceTestUtils.race(acquirer::cancel, fixture::completeCreation);

            // the new object went to the acquirer, or back to the idle set
            Lease<Res> lease = acquirer.getReceivedOnNext().isEmpty()
                    ? now(pool.acquire()) : acquirer.getReceivedOnNext().get(0);
            assertThat(lease.get().id).as("round %d", round).isEqualTo(round + 1);
            lease.invalidate().block(Duration.ofSeconds(5));
            assertThat(pool.metrics().total()).isZero();
        }
        assertThat(fixture.live()).isZero();
    }

    @Test
    void cancelRacingValidationVerdict() {
        List<Sinks.One<Boolean>> verdicts = new java.util.concurrent.CopyOnWriteArrayList<>();
        Pool<Res> pool = fixture.build(fixture.builder().maxSize(1).validator(r -> {
            Sinks.One<Boolean> verdict = Sinks.one();
            verdicts.add(verdict);
            return verdict.asMono();
        }));
        release(now(pool.acquire()));
        for (int round = 0; round < ROUNDS; round++) {
            TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire());
            Sinks.One<Boolean> verdict = verdicts.get(verdicts.size() - 1);

            RaceTestUtils.race(acquirer::cancel, () -> verdict.tryEmitValue(true));

            if (!acquirer.getReceivedOnNext().isEmpty()) {
                release(acquirer.getReceivedOnNext().get(0));
            }
            assertThat(pool.metrics().idle()).as("round %d", round).isEqualTo(1);
            assertThat(pool.metrics().total()).isEqualTo(1);
        }
        assertThat(fixture.created).hasValue(1);
    }

    @Test
    void closeRacingAcquiresAndReleasesLeavesNothingAlive() {
        for (int round = 0; round < 30; round++) {
            PoolFixture local = new PoolFixture();
            try {
                Pool<Res> pool = local.build(local.builder().maxSize(3).maxIdle(2));
                ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
                Flux<Integer> load = withLeaseLoad(pool, unexpected);
                Mono<Void> close = Mono.defer(pool::close).subscribeOn(Schedulers.parallel());

                Mono.when(load, close).block(Duration.ofSeconds(10));

                assertThat(unexpected).isEmpty();
                assertThat(pool.isDisposed()).isTrue();
                Awaitility.await().pollDelay(Duration.ZERO).atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
                    assertThat(local.live()).as("everything destroyed after close").isZero();
                    assertThat(pool.metrics().total()).isZero();
                });
                assertThat(local.doubleDestroys).hasValue(0);
                assertThat(local.maxLiveOrCreating()).isLessThanOrEqualTo(3);
            } finally {
                local.close();
            }
        }
    }

    @Test
    void releaseRacingAcquireTimeoutsUnderLoadKeepsTheCountsExact() {
        Pool<Res> pool = fixture.build(fixture.builder().maxSize(2).maxPending(50));
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();

        Flux.range(0, 2000)
                .parallel(4)
                .runOn(Schedulers.parallel())
                .flatMap(i -> pool.acquire(Duration.ofNanos(20_000 + i % 7 * 30_000))
                        .flatMap(lease -> Mono.delay(Duration.ofNanos(5_000)).then(lease.release()))
                        .onErrorResume(e -> e instanceof AcquireTimeoutException
                                || e instanceof PoolExhaustedException, e -> Mono.empty())
                        .doOnError(unexpected::add)
                        .onErrorResume(e -> Mono.empty()), false, 8)
                .sequential()
                .blockLast(Duration.ofSeconds(30));

        assertThat(unexpected).isEmpty();
        Awaitility.await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
            PoolMetrics m = pool.metrics();
            assertThat(m.leased()).isZero();
            assertThat(m.pending()).isZero();
            assertThat(m.idle()).isEqualTo(m.total());
        });
        assertThat(fixture.live()).isEqualTo(pool.metrics().total());
        assertThat(fixture.maxLiveOrCreating()).isLessThanOrEqualTo(2);
    }

    @Test
    void withLeaseCancelledWhileItsLeaseIsHandedOverNeverLeaks() {
        Pool<Res> pool = fixture.build(fixture.builder().maxSize(1));
        for (int round = 0; round < ROUNDS; round++) {
            Lease<Res> holder = now(pool.acquire());
            reactor.core.Disposable work = pool.withLease(r -> Mono.delay(Duration.ofMillis(1))).subscribe();

            RaceTestUtils.race(work::dispose, () -> holder.release().subscribe());

            int r = round;
            Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
                        assertThat(pool.metrics().leased()).as("round %d", r).isZero();
                        assertThat(pool.metrics().idle()).isEqualTo(1);
                    });
        }
        assertThat(fixture.created).hasValue(1);
    }

    @Test
    void acquireCancelledWhileItsLeaseIsBeingDeliveredOnADeliverySchedulerNeverLeaks() {
        Pool<Res> pool = fixture.build(fixture.builder().maxSize(1).deliveryScheduler(Schedulers.parallel()));
        for (int round = 0; round < ROUNDS; round++) {
            Lease<Res> holder = pool.acquire().block(Duration.ofSeconds(5));
            TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());

            RaceTestUtils.race(waiter::cancel, () -> holder.release().subscribe());

            int r = round;
            Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
                        if (!waiter.getReceivedOnNext().isEmpty()) {
                            Lease<Res> got = waiter.getReceivedOnNext().get(0);
                            if (!got.isReleased()) {
                                got.release().subscribe(); // delivered before the cancel: the waiter owns it
                            }
                        }
                        assertThat(pool.metrics().leased()).as("round %d", r).isZero();
                        assertThat(pool.metrics().idle()).isEqualTo(1);
                    });
        }
        assertThat(fixture.created).hasValue(1);
    }

    @Test
    void closeRacingLoadWithAsynchronousStepsLeavesNothingAlive() {
        for (int round = 0; round < 20; round++) {
            PoolFixture local = new PoolFixture();
            try {
                Pool<Res> pool = local.track(Pool.builder(local.allocator()
                                .delaySubscription(Duration.ofNanos(30_000), Schedulers.parallel()))
                        .destroyer(r -> Mono.delay(Duration.ofNanos(20_000)).then(Mono.from(local.destroyer().apply(r))))
                        .validator(r -> Mono.delay(Duration.ofNanos(10_000)).map(t -> r.id % 5 != 0))
                        .resetter(r -> Mono.delay(Duration.ofNanos(10_000)).then())
                        .maxSize(3).maxIdle(2).minIdle(1)
                        .build());
                ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
                Flux<Integer> load = withLeaseLoad(pool, unexpected);
                Mono<Void> close = Mono.delay(Duration.ofNanos(round * 50_000L)).then(Mono.defer(pool::close));

                Mono.when(load, close).block(Duration.ofSeconds(20));

                assertThat(unexpected).isEmpty();
                Awaitility.await().pollDelay(Duration.ZERO).atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
                    assertThat(local.liveOrCreating()).as("everything destroyed after close").isZero();
                    assertThat(pool.metrics().total()).isZero();
                });
                assertThat(local.doubleDestroys).hasValue(0);
                assertThat(local.maxLiveOrCreating()).isLessThanOrEqualTo(3);
            } finally {
                local.close();
            }
        }
    }

    /**
     * 200 {@code withLease} calls on two threads, for a close to race with: a call refused because
     * the pool closed completes empty; any other error goes to {@code unexpected}.
     */
    private static Flux<Integer> withLeaseLoad(Pool<Res> pool, Queue<Throwable> unexpected) {
        return Flux.range(0, 200)
                .parallel(2)
                .runOn(Schedulers.parallel())
                .flatMap(i -> pool.withLease(r -> Mono.just(i))
                        .onErrorResume(PoolClosedException.class, e -> Mono.empty())
                        .doOnError(unexpected::add)
                        .onErrorResume(e -> Mono.empty()))
                .sequential();
    }
}
