package dev.reactivepool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

/**
 * The ways ordinary Reactor code can drop a lease after the pool emitted it, each raced many
 * times on a pool of 2 with a dispose from another thread: afterwards nothing is leased, every
 * permit can be acquired and created - destroyed == idle + leased.
 *
 * <p>Each subscriber releases what it receives. Protection is the library's global
 * {@code onNextDropped} hook (installed by every pool) plus {@link DroppedLeases#discardHandler()}
 * on the chain. To see the losses without it, run with
 * {@code -Dreactivepool.droppedLeaseHook=false -Dreactivepool.test.unprotected=true}: the patterns
 * that can drop a lease then fail (RELIABILITY.md gives the figures).
 *
 * <p>{@code publishOn} (Mono and Flux) loses a lease that no hook sees: when its subscriber
 * cancels after its drain task was scheduled, it clears the value without discarding it. Only
 * the pool's {@code lostLeaseDetection} finds those, when the garbage collector finds the lease
 * unreachable; so the pools here have it on and the checks call {@code System.gc()} while
 * waiting. Not here: {@code cache()}/{@code share()} of an acquire, which keep one lease for
 * every subscriber (docs/dropped-leases.md).
 */
class DroppedLeaseRaceTest {

    /** Races per pattern, or fewer if the time budget runs out first. */
    private static final int RACES = 100_000;
    private static final Duration BUDGET = Duration.ofMillis(1_500);
    private static final boolean UNPROTECTED = Boolean.getBoolean("reactivepool.test.unprotected");

    private static final Exception SIBLING_FAILED = new IllegalStateException("sibling failed");

    /** A pattern: starts one acquire shaped by ordinary operators; the chain writes the given context. */
    private interface Pattern extends BiFunction<Pool<Object>, Function<Context, Context>, Disposable> {
    }

    static Stream<Arguments> patterns() {
        return Stream.of(
                pattern("subscribe(consumer) then dispose", (pool, ctx) -> pool.acquire()
                        .subscribeOn(Schedulers.parallel()).contextWrite(ctx)
                        .subscribe(DroppedLeaseRaceTest::release, DroppedLeaseRaceTest::ignore)),
                pattern("timeout(d, fallback)", (pool, ctx) -> pool.acquire()
                        .subscribeOn(Schedulers.parallel())
                        .timeout(Duration.ofNanos(ThreadLocalRandom.current().nextInt(1, 50_000)), Mono.empty())
                        .contextWrite(ctx).subscribe(DroppedLeaseRaceTest::release, DroppedLeaseRaceTest::ignore)),
                pattern("zip with a failing sibling", (pool, ctx) -> Mono.zip(
                                pool.acquire().subscribeOn(Schedulers.parallel()),
                                Mono.error(SIBLING_FAILED).subscribeOn(Schedulers.parallel()))
                        .contextWrite(ctx).subscribe(t -> release(t.getT1()), e -> { })),
                pattern("Flux publishOn then dispose", (pool, ctx) -> pool.acquire().flux()
                        .publishOn(Schedulers.single()).contextWrite(ctx)
                        .subscribe(DroppedLeaseRaceTest::release, DroppedLeaseRaceTest::ignore)),
                pattern("Mono publishOn then dispose", (pool, ctx) -> pool.acquire()
                        .publishOn(Schedulers.single()).contextWrite(ctx)
                        .subscribe(DroppedLeaseRaceTest::release, DroppedLeaseRaceTest::ignore)),
                pattern("firstWithValue then dispose", (pool, ctx) -> Mono.firstWithValue(
                                pool.acquire().subscribeOn(Schedulers.parallel()), Mono.never())
                        .contextWrite(ctx).subscribe(DroppedLeaseRaceTest::release, DroppedLeaseRaceTest::ignore)),
                pattern("take(0)", (pool, ctx) -> pool.acquire().subscribeOn(Schedulers.parallel()).flux()
                        .take(0).contextWrite(ctx).subscribe(DroppedLeaseRaceTest::release, DroppedLeaseRaceTest::ignore)),
                pattern("switchMap", (pool, ctx) -> Flux.just(1, 2)
                        .concatWith(Mono.delay(Duration.ofNanos(ThreadLocalRandom.current().nextInt(1, 20_000)))
                                .map(x -> 3))
                        .switchMap(i -> pool.acquire().subscribeOn(Schedulers.parallel()))
                        .contextWrite(ctx).subscribe(DroppedLeaseRaceTest::release, DroppedLeaseRaceTest::ignore)),
                pattern("flatMap then take(1)", (pool, ctx) -> Flux.range(0, 2)
                        .flatMap(i -> pool.acquire().subscribeOn(Schedulers.parallel()))
                        .take(1).contextWrite(ctx).subscribe(DroppedLeaseRaceTest::release, DroppedLeaseRaceTest::ignore)),
                pattern("Flux.usingWhen", (pool, ctx) -> Flux.usingWhen(pool.acquire()
                                        .subscribeOn(Schedulers.parallel()), lease -> Mono.just(1), Lease::release)
                        .contextWrite(ctx).subscribe(null, DroppedLeaseRaceTest::ignore)),
                pattern("withLease", (pool, ctx) -> pool.withLease(o -> Mono.just(1))
                        .subscribeOn(Schedulers.parallel()).contextWrite(ctx).subscribe(null, DroppedLeaseRaceTest::ignore)));
    }

    private static Arguments pattern(String name, Pattern pattern) {
        return Arguments.of(name, pattern);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("patterns")
    void noLeaseIsLostWhenADisposeRacesTheDelivery(String name, Pattern pattern) {
        Pool<Object> pool = Pool.builder(Mono.fromCallable(Object::new))
                .maxSize(2).acquireTimeout(Duration.ofSeconds(10)).maxPending(Integer.MAX_VALUE)
                .lostLeaseDetection(!UNPROTECTED).build();
        Function<Context, Context> protection = UNPROTECTED ? Function.identity() : DroppedLeases.discardHandler();
        try {
            long deadline = System.nanoTime() + BUDGET.toNanos();
            int races = 0;
            while (races < RACES && System.nanoTime() < deadline) {
                Disposable acquire = pattern.apply(pool, protection);
                if ((races & 1) == 0) {
                    acquire.dispose(); // half at once, racing the delivery on another thread
                }
                races++;
                if ((races & 1023) == 0) {
                    awaitQuiet(pool, name); // keep the pending queue short, so each race is a real race
                }
            }
            awaitQuiet(pool, name);
            PoolMetrics m = pool.metrics();
            System.out.printf("dropped-lease races [%s]: %d races, %d acquired, %d reclaimed, %s%n", name, races,
                    m.acquired(), m.reclaimed(), UNPROTECTED ? "unprotected" : "protected");
            List<Lease<Object>> both = Flux.range(0, 2).flatMap(i -> pool.acquire(Duration.ofSeconds(5)))
                    .collectList().block(Duration.ofSeconds(10));
            assertThat(both).as("every permit can be acquired").hasSize(2);
            both.forEach(DroppedLeaseRaceTest::release);
        } finally {
            pool.dispose();
        }
    }

    private static void awaitQuiet(Pool<Object> pool, String name) {
        Awaitility.await(name).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                .untilAsserted(() -> {
                    if (pool.metrics().leased() > 0) {
                        System.gc(); // lets lostLeaseDetection find leases that publishOn lost
                    }
                    PoolMetrics m = pool.metrics();
                    assertThat(m.leased()).as("leased: %s", m).isZero();
                    assertThat(m.pending()).as("pending: %s", m).isZero();
                    assertThat(m.created() - m.destroyed()).as("live objects: %s", m).isEqualTo(m.idle() + m.leased());
                });
    }

    /** Errors (a pool closed under a late subscription, a failed sibling) are not what is checked. */
    private static void ignore(Throwable error) {
    }

    private static void release(Lease<?> lease) {
        lease.release().subscribe();
    }
}
