package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.release;
import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.reactivepool.PoolFixture.Res;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.subscriber.TestSubscriber;

/**
 * DESIGN "Bounds": live objects (idle, leased, being created, validated, reset or destroyed) never
 * exceed {@code maxSize}; idle objects never exceed {@code maxIdle}; {@code minIdle} is restored
 * in the background. Live objects are counted by the test's own allocator and destroyer.
 */
class BoundsTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    @Test
    void objectsBeingCreatedCountTowardsMaxSize() {
        fixture.holdCreations();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3));

        List<TestSubscriber<Lease<Res>>> acquirers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            acquirers.add(subscribe(pool.acquire()));
        }

        assertThat(fixture.allocatorSubscriptions).hasValue(3);
        assertThat(pool.metrics().creating()).isEqualTo(3);
        assertThat(pool.metrics().total()).isEqualTo(3);
        assertThat(pool.metrics().pending()).isGreaterThanOrEqualTo(7);

        for (int i = 0; i < 3; i++) {
            fixture.completeCreation();
        }
        long served = acquirers.stream().filter(s -> s.getReceivedOnNext().size() == 1).count();
        assertThat(served).isEqualTo(3);
        assertThat(fixture.maxLiveOrCreating()).isEqualTo(3);
        assertThat(pool.metrics().pending()).isEqualTo(7);
        assertThat(pool.metrics().creating()).isZero();
    }

    @Test
    void objectsBeingDestroyedCountTowardsMaxSize() {
        fixture.holdDestroys();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        Lease<Res> lease = now(pool.acquire());

        lease.invalidate().subscribe();
        assertThat(fixture.heldDestroys()).isEqualTo(1);
        TestSubscriber<Lease<Res>> next = subscribe(pool.acquire());

        assertThat(fixture.allocatorSubscriptions).as("no creation while the old object is being destroyed")
                .hasValue(1);
        assertThat(pool.metrics().total()).isEqualTo(1);
        assertThat(next.getReceivedOnNext()).isEmpty();

        fixture.completeDestroy();

        assertThat(next.getReceivedOnNext()).hasSize(1);
        assertThat(fixture.allocatorSubscriptions).hasValue(2);
        assertThat(fixture.maxLiveOrCreating()).isEqualTo(1);
    }

    @Test
    void destroyTimeoutFreesThePlaceOfAHungDestroyer() {
        fixture.holdDestroys();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1)
                .destroyTimeout(Duration.ofSeconds(3)).acquireTimeout(Duration.ofSeconds(60)));
        now(pool.acquire()).invalidate().subscribe();
        TestSubscriber<Lease<Res>> next = subscribe(pool.acquire());

        fixture.advance(Duration.ofMillis(2900));
        assertThat(next.getReceivedOnNext()).isEmpty();

        fixture.advance(Duration.ofMillis(200));
        assertThat(next.getReceivedOnNext()).hasSize(1);
        assertThat(pool.metrics().destroyFailures()).isEqualTo(1);
        assertThat(pool.metrics().destroyed()).isEqualTo(1);
        assertThat(pool.metrics().total()).isEqualTo(1);
    }

    @Test
    void objectsBeingResetCountTowardsMaxSize() {
        Sinks.Empty<Void> reset = Sinks.empty();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).resetter(r -> reset.asMono()));
        Lease<Res> lease = now(pool.acquire());
        Res res = lease.get();

        TestSubscriber<Void> releasing = subscribe(lease.release());
        TestSubscriber<Lease<Res>> next = subscribe(pool.acquire());

        assertThat(releasing.isTerminated()).as("release completes after the reset").isFalse();
        assertThat(fixture.allocatorSubscriptions).hasValue(1);
        assertThat(next.getReceivedOnNext()).isEmpty();
        assertThat(pool.metrics().total()).isEqualTo(1);

        reset.tryEmitEmpty().orThrow();

        assertThat(releasing.isTerminatedComplete()).isTrue();
        assertThat(next.getReceivedOnNext()).singleElement().extracting(Lease::get).isSameAs(res);
        assertThat(fixture.allocatorSubscriptions).hasValue(1);
    }

    @Test
    void objectsBeingValidatedCountTowardsMaxSize() {
        Sinks.One<Boolean> verdict = Sinks.one();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).validator(r -> verdict.asMono()));
        release(now(pool.acquire()));

        TestSubscriber<Lease<Res>> validating = subscribe(pool.acquire());
        TestSubscriber<Lease<Res>> other = subscribe(pool.acquire());

        assertThat(fixture.allocatorSubscriptions).hasValue(1);
        assertThat(pool.metrics().total()).isEqualTo(1);
        assertThat(validating.getReceivedOnNext()).isEmpty();
        assertThat(other.getReceivedOnNext()).isEmpty();

        verdict.tryEmitValue(true).orThrow();

        assertThat(validating.getReceivedOnNext()).hasSize(1);
        assertThat(other.getReceivedOnNext()).isEmpty();
        assertThat(fixture.maxLiveOrCreating()).isEqualTo(1);
    }

    @Test
    void maxIdleCapDestroysReleasesThatWouldExceedIt() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(4).maxIdle(2));
        List<Lease<Res>> leases = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            leases.add(now(pool.acquire()));
        }

        leases.forEach(PoolFixture::release);

        PoolMetrics metrics = pool.metrics();
        assertThat(metrics.idle()).isEqualTo(2);
        assertThat(metrics.total()).isEqualTo(2);
        assertThat(metrics.destroyed()).isEqualTo(2);
        assertThat(metrics.evicted()).isEqualTo(2);
        assertThat(fixture.live()).isEqualTo(2);
    }

    @Test
    void maxIdleZeroDestroysEveryRelease() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2).maxIdle(0));

        release(now(pool.acquire()));
        release(now(pool.acquire()));

        assertThat(pool.metrics().idle()).isZero();
        assertThat(fixture.created).hasValue(2);
        assertThat(fixture.destroyed).hasValue(2);
    }

    @Test
    void minIdleIsRestoredInTheBackgroundAfterIdleTimeoutEvictions() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(5).minIdle(2)
                .idleTimeout(Duration.ofSeconds(10)).evictionInterval(Duration.ofSeconds(1)));
        assertThat(pool.warmup().block(Duration.ofSeconds(5))).isEqualTo(2);
        assertThat(pool.metrics().idle()).isEqualTo(2);

        fixture.advance(Duration.ofSeconds(13));

        assertThat(fixture.destroyed).as("the first two were evicted").hasValueGreaterThanOrEqualTo(2);
        assertThat(fixture.all.get(0).destroyed).isTrue();
        assertThat(fixture.all.get(1).destroyed).isTrue();
        assertThat(pool.metrics().idle()).isEqualTo(2);
        assertThat(fixture.live()).isEqualTo(2);
        assertThat(pool.metrics().evicted()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void minIdleIsRestoredInTheBackgroundAfterInvalidation() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(5).minIdle(2)
                .evictionInterval(Duration.ofSeconds(1)));
        pool.warmup().block(Duration.ofSeconds(5));

        now(pool.acquire()).invalidate().block(Duration.ofSeconds(5));

        fixture.advance(Duration.ofSeconds(2));

        assertThat(pool.metrics().idle()).isEqualTo(2);
        assertThat(fixture.created).hasValue(3);
    }

    @Test
    void minIdleRestorationRespectsMaxSize() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3).minIdle(2)
                .evictionInterval(Duration.ofSeconds(1)));
        List<Lease<Res>> leases = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            leases.add(now(pool.acquire()));
        }

        fixture.advance(Duration.ofSeconds(5));

        assertThat(pool.metrics().total()).isEqualTo(3);
        assertThat(fixture.maxLiveOrCreating()).isEqualTo(3);
        leases.forEach(PoolFixture::release);
    }

    @Test
    void warmupCreatesMinIdleObjectsOnce() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(5).minIdle(3));

        assertThat(pool.warmup().block(Duration.ofSeconds(5))).isEqualTo(3);
        assertThat(pool.warmup().block(Duration.ofSeconds(5))).isZero();
        assertThat(pool.metrics().idle()).isEqualTo(3);
        assertThat(fixture.created).hasValue(3);
    }

    @Test
    void warmupIsLazy() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(5).minIdle(3));

        Mono<Integer> warmup = pool.warmup();

        assertThat(fixture.allocatorSubscriptions).hasValue(0);
        assertThat(warmup.block(Duration.ofSeconds(5))).isEqualTo(3);
    }

    @Test
    void maxSizeHoldsUnderConcurrentLoadFromManyThreads() {
        AtomicInteger leasedNow = new AtomicInteger();
        AtomicInteger maxLeased = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        Pool<Res> pool = fixture.build(fixture.builder().maxSize(4).maxIdle(2)
                .resetter(r -> Mono.delay(Duration.ofNanos(r.id % 3 * 1000L)).then())
                .validator(r -> Mono.just(r.id % 7 != 0)));

        Flux.range(0, 2000)
                .parallel(4)
                .runOn(Schedulers.parallel())
                .flatMap(i -> pool.acquire(Duration.ofSeconds(10))
                        .flatMap(lease -> {
                            maxLeased.accumulateAndGet(leasedNow.incrementAndGet(), Math::max);
                            return Mono.delay(Duration.ofNanos(50_000)).then(Mono.defer(() -> {
                                leasedNow.decrementAndGet();
                                return i % 5 == 0 ? lease.invalidate() : lease.release();
                            }));
                        })
                        .doOnError(errors::add)
                        .onErrorResume(e -> Mono.empty()))
                .sequential()
                .blockLast(Duration.ofSeconds(30));

        assertThat(errors).isEmpty();
        assertThat(maxLeased.get()).isLessThanOrEqualTo(4);
        assertThat(fixture.maxLiveOrCreating()).isLessThanOrEqualTo(4);
        Awaitility.await().atMost(5, TimeUnit.SECONDS)
                .untilAsserted(() -> assertThat(pool.metrics().leased()).isZero());
        assertThat(pool.metrics().idle()).isLessThanOrEqualTo(2);
        assertThat(fixture.doubleDestroys).hasValue(0);
    }

    @Test
    void warmupIsBoundedByMaxSize() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3).minIdle(3));
        Lease<Res> a = now(pool.acquire());
        Lease<Res> b = now(pool.acquire());

        Integer created = pool.warmup().block(Duration.ofSeconds(5));

        assertThat(created).isEqualTo(1);
        assertThat(pool.metrics().total()).isEqualTo(3);
        assertThat(fixture.maxLiveOrCreating()).isEqualTo(3);
        release(a);
        release(b);
    }

    @ParameterizedTest
    @EnumSource(IdleOrder.class)
    void boundsHoldUnderLoadWhileTheBackgroundEvicts(IdleOrder order) {
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        Pool<Res> pool = fixture.build(fixture.builder().maxSize(4).maxIdle(2).minIdle(1).idleOrder(order)
                .idleTimeout(Duration.ofMillis(2)).maxLifetime(Duration.ofMillis(20), Duration.ofMillis(5))
                .evictionInterval(Duration.ofMillis(1)));

        Flux.range(0, 3000)
                .parallel(4)
                .runOn(Schedulers.parallel())
                .flatMap(i -> pool.withLease(r -> Mono.delay(Duration.ofNanos(i % 4 * 20_000L)))
                        .then()
                        .doOnError(errors::add)
                        .onErrorResume(e -> Mono.empty()))
                .sequential()
                .blockLast(Duration.ofSeconds(30));

        assertThat(errors).isEmpty();
        assertThat(fixture.maxLiveOrCreating()).isLessThanOrEqualTo(4);
        assertThat(fixture.doubleDestroys).hasValue(0);
        Awaitility.await().pollDelay(Duration.ZERO).atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
            PoolMetrics m = pool.metrics();
            assertThat(m.leased()).isZero();
            assertThat(m.idle()).isLessThanOrEqualTo(2);
            assertThat(m.total()).isEqualTo(fixture.liveOrCreating());
        });
    }

    @Test
    void backgroundRefillDoesNotDuplicateASlowWarmup() {
        fixture.holdCreations();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(10).minIdle(2)
                .evictionInterval(Duration.ofSeconds(1)));
        TestSubscriber<Integer> warmup = subscribe(pool.warmup());
        assertThat(fixture.allocatorSubscriptions).hasValue(2);

        fixture.advance(Duration.ofSeconds(3)); // background runs while the two creations are slow

        assertThat(fixture.allocatorSubscriptions).as("no extra creations").hasValue(2);
        fixture.completeCreation();
        fixture.completeCreation();
        assertThat(warmup.getReceivedOnNext()).containsExactly(2);
        assertThat(pool.metrics().idle()).isEqualTo(2);
    }

    @Test
    void concurrentWarmupsCreateMinIdleObjectsInAll() {
        fixture.holdCreations();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(10).minIdle(2));

        TestSubscriber<Integer> first = subscribe(pool.warmup());
        TestSubscriber<Integer> second = subscribe(pool.warmup());

        assertThat(fixture.allocatorSubscriptions).as("the second warmup counts the first one's creations")
                .hasValue(2);
        while (fixture.heldCreations() > 0) {
            fixture.completeCreation();
        }
        assertThat(first.getReceivedOnNext().get(0) + second.getReceivedOnNext().get(0)).isEqualTo(2);
    }

    @Test
    void cancellingAWarmupLosesNoObjectAndNoPermit() {
        fixture.holdCreations();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3).minIdle(2));
        TestSubscriber<Integer> warmup = subscribe(pool.warmup());

        warmup.cancel();
        fixture.completeCreation();
        fixture.completeCreation();

        assertThat(pool.metrics().idle()).isEqualTo(2);
        assertThat(pool.metrics().total()).isEqualTo(2);
        assertThat(pool.metrics().creating()).isZero();
        assertThat(fixture.live()).isEqualTo(2);
    }

    @Test
    void warmupThatPartlyFailsReportsTheErrorAndKeepsWhatItCreated() {
        fixture.holdCreations();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3).minIdle(2));
        TestSubscriber<Integer> warmup = subscribe(pool.warmup());
        IllegalStateException refused = new IllegalStateException("refused");

        fixture.completeCreation();
        fixture.failCreation(refused);

        assertThat(warmup.expectTerminalError()).isSameAs(refused);
        assertThat(pool.metrics().idle()).isEqualTo(1);
        assertThat(pool.metrics().creationFailures()).isEqualTo(1);
    }
}
