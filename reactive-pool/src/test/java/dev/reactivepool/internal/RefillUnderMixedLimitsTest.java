package dev.reactivepool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.reactivepool.Lease;
import dev.reactivepool.Pool;
import dev.reactivepool.PoolMetrics;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The minIdle refill and the idle cap must agree on what the idle set holds. Concurrent resizes
 * copy their limits into the pool field by field, so for a moment the pool may hold one resize's
 * minIdle beside another's smaller maxIdle. The minIdle refill must not aim above the maxIdle it
 * sees: with a synchronous allocator and destroyer, every object made above the cap was destroyed
 * at once and its freed permit started the next refill on the same stack, until a
 * StackOverflowError (seen in OperationsStressTest under load). Likewise an idle object
 * taken out of the idle store for a moment (by the housekeeping sweep, or by an acquirer between
 * its poll and giving back its idle place) still holds its place under the cap: a refill that
 * counted only the store's size made an object the cap destroyed at once, again and again.
 */
class RefillUnderMixedLimitsTest {

    @Test
    void refillNeverCreatesAboveTheMaxIdleItSeesEvenWhenMinIdleIsAboveIt() {
        AtomicInteger created = new AtomicInteger();
        AtomicInteger destroyed = new AtomicInteger();
        Pool<Integer> pool = Pool.builder(Mono.fromCallable(created::incrementAndGet))
                .name("mixed-limits")
                .maxSize(10)
                .maxIdle(8)
                .destroyer(object -> Mono.fromRunnable(destroyed::incrementAndGet))
                .evictionInterval(Duration.ofHours(1))
                .build();
        try {
            // The state two interleaved copiers can leave for a moment: maxIdle of one, minIdle of the other.
            ((DefaultPool<Integer>) pool).applyLimits(10, 2, 8);

            StepVerifier.create(pool.warmup())
                    .expectNext(2)
                    .expectComplete()
                    .verify(Duration.ofSeconds(10));

            PoolMetrics metrics = pool.metrics();
            assertThat(created.get()).as("objects created by the refill").isEqualTo(2);
            assertThat(destroyed.get()).as("objects destroyed by the idle cap").isZero();
            assertThat(metrics.idle()).as("idle objects").isEqualTo(2);
        } finally {
            StepVerifier.create(pool.close()).expectComplete().verify(Duration.ofSeconds(10));
        }
    }

    @Test
    void refillNeverCreatesWhatTheIdleCapWouldDestroyAtOnce() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        AtomicInteger created = new AtomicInteger();
        AtomicInteger destroyed = new AtomicInteger();
        AtomicReference<Lease<Integer>> releasedDuringTheSweep = new AtomicReference<>();
        Pool<Integer> pool = Pool.builder(Mono.fromCallable(created::incrementAndGet))
                .name("refill-vs-cap")
                .maxSize(2)
                .maxIdle(1)
                .minIdle(1)
                .destroyer(object -> Mono.fromRunnable(destroyed::incrementAndGet))
                .timerScheduler(time)
                .evictionInterval(Duration.ofSeconds(1))
                // Runs while the sweep holds the idle object out of the store: a release by
                // another party at that instant, made deterministic.
                .evictionPredicate(object -> {
                    Lease<Integer> lease = releasedDuringTheSweep.getAndSet(null);
                    if (lease != null) {
                        lease.release().subscribe();
                    }
                    return false;
                })
                .build();
        try {
            Lease<Integer> a = pool.acquire().block(Duration.ofSeconds(10));
            Lease<Integer> b = pool.acquire().block(Duration.ofSeconds(10));
            a.release().block(Duration.ofSeconds(10)); // idle, holding the one idle place
            releasedDuringTheSweep.set(b);

            time.advanceTimeBy(Duration.ofSeconds(1)); // the sweep takes a out; b comes back meanwhile

            PoolMetrics metrics = pool.metrics();
            assertThat(releasedDuringTheSweep.get()).as("b was released during the sweep").isNull();
            assertThat(created.get()).as("objects created").isEqualTo(2);
            assertThat(destroyed.get()).as("b, destroyed by the idle cap").isEqualTo(1);
            assertThat(metrics.idle()).as("a, back in the idle store").isEqualTo(1);
            assertThat(metrics.total()).as("live objects").isEqualTo(1);
        } finally {
            StepVerifier.create(pool.close()).expectComplete().verify(Duration.ofSeconds(10));
            time.dispose();
        }
    }
}
