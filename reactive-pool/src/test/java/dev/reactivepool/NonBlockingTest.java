package dev.reactivepool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.reactivepool.PoolFixture.Res;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * DESIGN "Never blocks, never locks": BlockHound is installed in the test JVM and watches
 * Reactor's non-blocking threads; every pool path driven from those threads runs without a
 * {@link BlockingOperationError}.
 */
class NonBlockingTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    @Test
    @SuppressWarnings("BlockingMethodInNonBlockingContext")
    void blockHoundIsActiveInThisJvm() {
        Mono<Integer> sleeping = Mono.fromCallable(() -> {
            Thread.sleep(10); // the blocking call BlockHound must catch; never runs to completion
            return 1;
        }).subscribeOn(Schedulers.parallel());

        StepVerifier.create(sleeping)
                .expectErrorMatches(e -> e instanceof BlockingOperationError
                        || e.getCause() instanceof BlockingOperationError)
                .verify(Duration.ofSeconds(5));
    }

    @ParameterizedTest(name = "delivery on parallel: {0}")
    @ValueSource(booleans = {false, true})
    void everyPoolPathRunsOnNonBlockingThreadsWithoutBlocking(boolean deliveryHop) {
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        Mono<Res> asyncAllocator = fixture.allocator()
                .delaySubscription(Duration.ofNanos(ThreadLocalRandom.current().nextInt(50_000)),
                        Schedulers.parallel());
        Pool<Res> pool = fixture.track(Pool.builder(asyncAllocator)
                .name("non-blocking")
                .destroyer(fixture.destroyer())
                .maxSize(4).maxIdle(3).minIdle(1).maxPending(10_000)
                .validator(r -> Mono.delay(Duration.ofNanos(10_000)).map(t -> r.id % 11 != 0))
                .resetter(r -> Mono.delay(Duration.ofNanos(10_000)).then())
                .maxUses(7)
                .idleTimeout(Duration.ofMillis(50))
                .maxLifetime(Duration.ofMillis(200), Duration.ofMillis(50))
                .evictionInterval(Duration.ofMillis(5))
                .leakDetectionThreshold(Duration.ofSeconds(30))
                .holdTimeSampling(1)
                .acquireTimeout(Duration.ofSeconds(20))
                .deliveryScheduler(deliveryHop ? Schedulers.parallel() : null)
                .build());
        pool.warmup().subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(5));

        Flux.range(0, 2000)
                .parallel(4)
                .runOn(Schedulers.parallel())
                .flatMap(i -> {
                    Mono<Integer> work = switch (i % 4) {
                        case 0 -> pool.withLease(r -> Mono.just(r.id)).then(Mono.just(i));
                        case 1 -> pool.acquire().flatMap(lease -> lease.release().thenReturn(i));
                        case 2 -> pool.acquire().flatMap(lease -> lease.invalidate().thenReturn(i));
                        default -> pool.acquire(Duration.ofSeconds(20))
                                .flatMap(lease -> Mono.delay(Duration.ofNanos(20_000)).then(lease.release()))
                                .thenReturn(i);
                    };
                    return work.doOnError(errors::add).onErrorResume(e -> Mono.empty());
                })
                .sequential()
                .blockLast(Duration.ofSeconds(30));
        pool.metrics(); // a metrics snapshot is cheap and non-blocking too
        Mono.defer(pool::close).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(10));

        assertThat(errors).isEmpty();
        assertThat(fixture.maxLiveOrCreating()).isLessThanOrEqualTo(4);
        Awaitility.await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(fixture.live()).isZero());
        assertThat(fixture.doubleDestroys).hasValue(0);
    }

    @Test
    void acquireTimeoutsAndRejectionsOnNonBlockingThreadsDoNotBlock() {
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicInteger expectedErrors = new java.util.concurrent.atomic.AtomicInteger();
        Pool<Res> pool = fixture.build(fixture.builder().maxSize(1).maxPending(5));
        Lease<Res> holder = pool.acquire().block(Duration.ofSeconds(5));

        Flux.range(0, 50)
                .parallel(2)
                .runOn(Schedulers.parallel())
                .flatMap(i -> pool.acquire(Duration.ofMillis(5))
                        .doOnError(e -> e instanceof AcquireTimeoutException || e instanceof PoolExhaustedException,
                                e -> expectedErrors.incrementAndGet())
                        .onErrorResume(e -> e instanceof AcquireTimeoutException
                                || e instanceof PoolExhaustedException, e -> Mono.empty())
                        .doOnError(unexpected::add)
                        .onErrorResume(e -> Mono.empty()))
                .sequential()
                .blockLast(Duration.ofSeconds(10));

        assertThat(unexpected).isEmpty();
        assertThat(expectedErrors).hasValue(50);
        assertThat(pool.metrics().pending()).isZero();
        holder.release().block(Duration.ofSeconds(5));
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }
}
