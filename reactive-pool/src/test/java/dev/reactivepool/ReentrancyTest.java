package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.release;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * User code runs inside the pool's emissions (a lease's {@code onNext}, a resetter, a destroyer)
 * and may call the pool back synchronously: acquire, release, invalidate, close. The pool must
 * stay consistent and must not recurse without bound.
 */
class ReentrancyTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    @Test
    void waitersReleasingInsideOnNextAreAllServedWithoutDeepRecursion() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).acquireTimeout(Duration.ofHours(1)));
        Lease<Res> holder = now(pool.acquire());
        AtomicInteger served = new AtomicInteger();
        int waiters = 5_000; // a recursive hand-off would overflow the stack well before
        for (int i = 0; i < waiters; i++) {
            pool.acquire().subscribe(lease -> {
                served.incrementAndGet();
                lease.release().subscribe(); // hands the object to the next waiter, from inside onNext
            });
        }

        release(holder);

        assertThat(served).hasValue(waiters);
        assertThat(pool.metrics().pending()).isZero();
        assertThat(pool.metrics().idle()).isEqualTo(1);
        assertThat(fixture.created).hasValue(1);
    }

    @Test
    void acquiringAgainInsideOnNextOfAnIdleHit() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2));
        List<Lease<Res>> leases = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            leases.add(now(pool.acquire()));
        }
        leases.forEach(PoolFixture::release);
        AtomicReference<Lease<Res>> inner = new AtomicReference<>();
        AtomicReference<Lease<Res>> outer = new AtomicReference<>();

        pool.acquire().subscribe(lease -> {
            outer.set(lease);
            pool.acquire().subscribe(inner::set);
        });

        assertThat(outer.get()).isNotNull();
        assertThat(inner.get()).isNotNull();
        assertThat(inner.get().get()).isNotSameAs(outer.get().get());
        assertThat(pool.metrics().leased()).isEqualTo(2);
        assertThat(pool.metrics().idle()).isZero();
    }

    @Test
    void invalidatingInsideOnNextOfAHandOffCreatesForTheNextWaiter() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        Lease<Res> holder = now(pool.acquire());
        AtomicInteger served = new AtomicInteger();
        for (int i = 0; i < 100; i++) {
            pool.acquire().subscribe(lease -> {
                served.incrementAndGet();
                lease.invalidate().subscribe();
            });
        }

        release(holder);

        assertThat(served).hasValue(100);
        assertThat(fixture.created).as("the holder's object, then one new object per waiter after the first")
                .hasValue(100);
        assertThat(pool.metrics().total()).isZero();
        assertThat(fixture.maxLiveOrCreating()).isEqualTo(1);
    }

    @Test
    void closingInsideOnNext() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        Lease<Res> holder = now(pool.acquire());
        AtomicReference<Throwable> secondWaiter = new AtomicReference<>();
        pool.acquire().subscribe(lease -> {
            pool.close().subscribe();
            lease.release().subscribe();
        });
        pool.acquire().subscribe(lease -> { }, secondWaiter::set);

        release(holder);

        assertThat(secondWaiter.get()).isInstanceOf(PoolClosedException.class);
        assertThat(fixture.live()).isZero();
    }

    @Test
    void acquiringInsideTheResetterAndTheDestroyer() {
        AtomicReference<Pool<Res>> self = new AtomicReference<>();
        List<Lease<Res>> fromCallbacks = new ArrayList<>();
        Pool<Res> pool = fixture.build(Pool.builder(fixture.allocator())
                .timerScheduler(fixture.clock).maxSize(3).maxUses(1)
                .resetter(r -> Mono.fromRunnable(() -> self.get().acquire().subscribe(fromCallbacks::add)))
                .destroyer(r -> Mono.defer(() -> {
                    self.get().acquire().subscribe(fromCallbacks::add);
                    return Mono.from(fixture.destroyer().apply(r));
                })));
        self.set(pool);

        release(now(pool.acquire())); // reset (acquires), then destroyed for maxUses (acquires)

        assertThat(fromCallbacks).hasSize(2);
        assertThat(pool.metrics().leased()).isEqualTo(2);
        assertThat(fixture.maxLiveOrCreating()).isLessThanOrEqualTo(3);
        new ArrayList<>(fromCallbacks).forEach(l -> l.release().subscribe());
    }
}
