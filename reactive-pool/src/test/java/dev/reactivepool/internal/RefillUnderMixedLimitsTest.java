package dev.reactivepool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.reactivepool.Pool;
import dev.reactivepool.PoolMetrics;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Concurrent resizes copy their limits into the pool field by field, so for a moment the pool
 * may hold one resize's minIdle beside another's smaller maxIdle. The minIdle refill must not aim
 * above the maxIdle it sees: with a synchronous allocator and destroyer, every object made above
 * the cap was destroyed at once and its freed permit started the next refill on the same stack,
 * until a StackOverflowError (seen in OperationsStressTest under load).
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
}
