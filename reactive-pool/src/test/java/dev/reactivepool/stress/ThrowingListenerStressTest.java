package dev.reactivepool.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.reactivepool.Lease;
import dev.reactivepool.Pool;
import dev.reactivepool.PoolEvent;
import dev.reactivepool.PoolListener;
import dev.reactivepool.PoolMetrics;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A listener that throws on every event, under concurrent load with waits, timeouts,
 * cancellations, invalidations, failing validation and resets and short lifetimes: the pool
 * loses no object and no permit. A second listener registered after it still sees every event:
 * every object created is reported destroyed once the pool is closed.
 */
class ThrowingListenerStressTest {

    private static final int THREADS = 4;
    private static final int OPS_PER_THREAD = 20_000;
    private static final int MAX_SIZE = 4;

    /** Throws from every method, and from the handle of every acquire it follows. */
    static final class AlwaysThrows implements PoolListener<Object> {
        final LongAdder calls = new LongAdder();

        private RuntimeException bug() {
            calls.increment();
            return new IllegalStateException("listener bug");
        }

        @Override
        public void created(PoolEvent.Created<Object> event) {
            throw bug();
        }

        @Override
        public void creationFailed(PoolEvent.CreationFailed event) {
            throw bug();
        }

        @Override
        public void acquired(PoolEvent.Acquired<Object> event) {
            throw bug();
        }

        @Override
        public void released(PoolEvent.Released<Object> event) {
            throw bug();
        }

        @Override
        public void validationFailed(PoolEvent.ValidationFailed<Object> event) {
            throw bug();
        }

        @Override
        public void resetFailed(PoolEvent.ResetFailed<Object> event) {
            throw bug();
        }

        @Override
        public void destroyed(PoolEvent.Destroyed<Object> event) {
            throw bug();
        }

        @Override
        public AcquireWait<Object> acquireWaitStarted(PoolEvent.AcquireWaitStarted event) {
            if (ThreadLocalRandom.current().nextBoolean()) {
                throw bug();
            }
            return new AcquireWait<>() {
                @Override
                public void created(PoolEvent.Created<Object> created) {
                    throw bug();
                }

                @Override
                public void ended(PoolEvent.AcquireWaitEnded ended) {
                    throw bug();
                }
            };
        }
    }

    /** Counts creations and destructions, and the acquires that waited and ended. */
    static final class Counting implements PoolListener<Object> {
        final LongAdder created = new LongAdder();
        final LongAdder destroyed = new LongAdder();
        final LongAdder waitsStarted = new LongAdder();
        final LongAdder waitsEnded = new LongAdder();

        @Override
        public void created(PoolEvent.Created<Object> event) {
            created.increment();
        }

        @Override
        public void destroyed(PoolEvent.Destroyed<Object> event) {
            destroyed.increment();
        }

        @Override
        public AcquireWait<Object> acquireWaitStarted(PoolEvent.AcquireWaitStarted event) {
            waitsStarted.increment();
            return ended -> waitsEnded.increment();
        }
    }

    @Test
    void aListenerThrowingOnEveryEventLosesNothing() throws Exception {
        Scheduler timer = Schedulers.newParallel("listener-stress-timer", 2);
        AtomicInteger live = new AtomicInteger();
        AlwaysThrows throwing = new AlwaysThrows();
        Counting counting = new Counting();
        Pool<Object> pool = Pool.builder(Mono.fromCallable(() -> {
                    live.incrementAndGet();
                    return new Object();
                }))
                .name("listener-stress")
                .maxSize(MAX_SIZE).maxIdle(3)
                .acquireTimeout(Duration.ofMillis(50))
                .validator(o -> Mono.just(ThreadLocalRandom.current().nextInt(100) >= 3))
                .resetter(o -> ThreadLocalRandom.current().nextInt(100) < 3
                        ? Mono.error(new IllegalStateException("reset failed")) : Mono.empty())
                .destroyer(o -> Mono.fromRunnable(live::decrementAndGet))
                .maxLifetime(Duration.ofMillis(30))
                .maxUses(40)
                .evictionInterval(Duration.ofMillis(5))
                .timerScheduler(timer)
                .listener(throwing)
                .listener(counting)
                .build();
        try {
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(CompletableFuture.runAsync(() -> work(pool)));
            }
            CompletableFuture.allOf(workers.toArray(new CompletableFuture[0])).get(5, TimeUnit.MINUTES);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                PoolMetrics m = pool.metrics();
                assertThat(m.leased()).as("leased").isZero();
                assertThat(m.pending()).as("pending").isZero();
                assertThat(m.creating()).as("creating").isZero();
                assertThat(m.total()).as("every permit back: total == idle").isEqualTo(m.idle());
                assertThat(live.get()).as("live objects == idle").isEqualTo(m.idle());
            });
            assertThat(throwing.calls.sum()).as("the throwing listener was really called").isPositive();
            assertThat(counting.waitsEnded.sum()).as("every followed acquire ended once")
                    .isEqualTo(counting.waitsStarted.sum());
            // All permits usable: maxSize leases at once.
            List<Lease<Object>> all = new ArrayList<>();
            for (int i = 0; i < MAX_SIZE; i++) {
                all.add(pool.acquire().block(Duration.ofSeconds(5)));
            }
            for (Lease<Object> lease : all) {
                lease.release().block(Duration.ofSeconds(5));
            }
        } finally {
            pool.close().block(Duration.ofSeconds(10));
            timer.dispose();
        }
        assertThat(live.get()).as("every object destroyed at close").isZero();
        assertThat(counting.destroyed.sum()).as("a destroyed event for every created object")
                .isEqualTo(counting.created.sum()).isPositive();
        assertThat(pool.metrics().total()).isZero();
    }

    private static void work(Pool<Object> pool) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < OPS_PER_THREAD; i++) {
            int r = random.nextInt(100);
            Mono<Void> op = pool.acquire().flatMap(lease -> r < 5 ? lease.invalidate() : lease.release());
            if (r >= 95) {
                // cancelled at a random moment
                op.subscribe().dispose();
                continue;
            }
            try {
                op.block(Duration.ofSeconds(5));
            } catch (RuntimeException timeoutOrInvalid) {
                // acquire timeouts and "no valid object" are expected under this load
            }
        }
    }
}
