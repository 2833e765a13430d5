package dev.reactivepool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/** An idle object matching the eviction predicate is destroyed, on acquire and in the background. */
class EvictionPredicateTest {

    /** A connection whose peer may close it while it sits idle. */
    static final class Conn {
        final int id;
        final AtomicBoolean peerClosed = new AtomicBoolean();

        Conn(int id) {
            this.id = id;
        }
    }

    private final VirtualTimeScheduler timer = VirtualTimeScheduler.create();
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger destroyed = new AtomicInteger();
    private final List<Conn> all = new ArrayList<>();

    @AfterEach
    void disposeTimer() {
        timer.dispose();
    }

    private Pool<Conn> pool() {
        return Pool.builder(Mono.fromCallable(() -> {
                    Conn c = new Conn(created.incrementAndGet());
                    all.add(c);
                    return c;
                }))
                .maxSize(2)
                .timerScheduler(timer)
                .evictionInterval(Duration.ofSeconds(1))
                .evictionPredicate(c -> c.peerClosed.get())
                .destroyer(c -> Mono.fromRunnable(destroyed::incrementAndGet))
                .build();
    }

    @Test
    void anIdleObjectThatMatchesIsDestroyedAtAcquireAndAnotherIsLeased() {
        Pool<Conn> pool = pool();
        Lease<Conn> first = pool.acquire().block(Duration.ofSeconds(5));
        first.release().block(Duration.ofSeconds(5));
        all.get(0).peerClosed.set(true);

        Lease<Conn> second = pool.acquire().block(Duration.ofSeconds(5));

        assertThat(second.get().id).as("a new object, not the closed one").isEqualTo(2);
        assertThat(destroyed.get()).isEqualTo(1);
        assertThat(pool.metrics().evicted()).isEqualTo(1);
        second.release().block(Duration.ofSeconds(5));
    }

    @Test
    void theBackgroundEvictionRemovesAMatchingIdleObject() {
        Pool<Conn> pool = pool();
        pool.acquire().flatMap(Lease::release).block(Duration.ofSeconds(5));
        assertThat(pool.metrics().idle()).isEqualTo(1);
        all.get(0).peerClosed.set(true);

        timer.advanceTimeBy(Duration.ofSeconds(1));

        assertThat(pool.metrics().idle()).isZero();
        assertThat(pool.metrics().total()).isZero();
        assertThat(destroyed.get()).isEqualTo(1);
    }

    @Test
    void aPredicateThatThrowsEvictsTheObject() {
        Pool<Conn> pool = Pool.builder(Mono.fromCallable(() -> new Conn(created.incrementAndGet())))
                .maxSize(1)
                .timerScheduler(timer)
                .evictionPredicate(c -> {
                    if (c.id == 1) {
                        throw new IllegalStateException("cannot tell");
                    }
                    return false;
                })
                .destroyer(c -> Mono.fromRunnable(destroyed::incrementAndGet))
                .build();
        pool.acquire().flatMap(Lease::release).block(Duration.ofSeconds(5));

        Lease<Conn> lease = pool.acquire().block(Duration.ofSeconds(5));

        assertThat(lease.get().id).isEqualTo(2);
        assertThat(destroyed.get()).isEqualTo(1);
    }
}
