package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.release;
import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.subscriber.TestSubscriber;

/**
 * DESIGN "Fast path": an acquire that finds an idle object and no waiters takes it on the
 * subscriber's thread, synchronously; a release with a waiter hands the object straight to the
 * oldest waiter, on the releasing thread, without passing through the idle set.
 */
class FastPathTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    @Test
    void idleHitEmitsSynchronouslyOnTheSubscribingThread() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder());
        release(now(pool.acquire()));
        AtomicReference<Thread> emittedOn = new AtomicReference<>();
        AtomicReference<Lease<Res>> lease = new AtomicReference<>();

        pool.acquire().subscribe(l -> {
            emittedOn.set(Thread.currentThread());
            lease.set(l);
        });

        assertThat(lease.get()).as("emitted before subscribe() returned").isNotNull();
        assertThat(lease.get().get()).isSameAs(fixture.all.get(0));
        assertThat(emittedOn.get()).isSameAs(Thread.currentThread());
        assertThat(pool.metrics().idle()).isZero();
        assertThat(pool.metrics().pending()).isZero();
        assertThat(fixture.created).hasValue(1);
    }

    @Test
    void idleHitOnAnEventLoopThreadStaysOnThatThread() throws Exception {
        Pool<Res> pool = fixture.build(fixture.builder());
        release(now(pool.acquire()));
        Scheduler loop = Schedulers.newSingle("event-loop");
        try {
            CompletableFuture<String> result = new CompletableFuture<>();
            loop.schedule(() -> {
                AtomicReference<String> emittedOn = new AtomicReference<>();
                pool.acquire().subscribe(l -> {
                    emittedOn.set(Thread.currentThread().getName());
                    l.release().subscribe();
                });
                // the lease arrived synchronously, within this task
                result.complete(emittedOn.get() + "|" + Thread.currentThread().getName());
            });
            String[] threads = result.get(5, TimeUnit.SECONDS).split("\\|");
            assertThat(threads[0]).isEqualTo(threads[1]).startsWith("event-loop");
        } finally {
            loop.dispose();
        }
    }

    @Test
    void newObjectFromASynchronousAllocatorIsAlsoEmittedSynchronously() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder());

        Lease<Res> lease = now(pool.acquire());

        assertThat(lease.get()).isSameAs(fixture.all.get(0));
    }

    @Test
    void releaseWithAWaiterHandsTheObjectStraightToTheOldestWaiter() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        Lease<Res> holder = now(pool.acquire());
        Res res = holder.get();
        AtomicReference<Thread> emittedOn = new AtomicReference<>();
        AtomicReference<Integer> idleWhenEmitted = new AtomicReference<>();
        TestSubscriber<Lease<Res>> oldest = TestSubscriber.create();
        pool.acquire().doOnNext(l -> {
            emittedOn.set(Thread.currentThread());
            idleWhenEmitted.set(pool.metrics().idle());
        }).subscribe(oldest);
        TestSubscriber<Lease<Res>> younger = subscribe(pool.acquire());

        release(holder);

        assertThat(oldest.getReceivedOnNext()).singleElement().extracting(Lease::get).isSameAs(res);
        assertThat(emittedOn.get()).isSameAs(Thread.currentThread());
        assertThat(idleWhenEmitted.get()).isZero();
        assertThat(younger.getReceivedOnNext()).isEmpty();
        assertThat(pool.metrics().idle()).isZero();
        assertThat(pool.metrics().leased()).isEqualTo(1);
        assertThat(pool.metrics().pending()).isEqualTo(1);
    }

    @Test
    void handOffKeepsTheObjectsLeaseCount() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        Lease<Res> holder = now(pool.acquire());
        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());

        release(holder);

        Lease<Res> second = waiter.getReceivedOnNext().get(0);
        assertThat(second.timesAcquired()).isEqualTo(2);
        assertThat(pool.metrics().acquired()).isEqualTo(2);
        assertThat(fixture.created).hasValue(1);
    }

    @Test
    void manyIdleHitsInARowCreateNothing() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2));
        release(now(pool.acquire()));

        for (int i = 0; i < 1000; i++) {
            release(now(pool.acquire()));
        }

        assertThat(fixture.created).hasValue(1);
        assertThat(pool.metrics().acquired()).isEqualTo(1001);
        assertThat(pool.metrics().acquireLatency().count()).isEqualTo(1001);
    }

    @Test
    void releaseCompletesWhenTheObjectIsBackAndHandedOn() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        Lease<Res> holder = now(pool.acquire());
        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());

        TestSubscriber<Void> releasing = subscribe(holder.release());

        assertThat(releasing.isTerminatedComplete()).isTrue();
        assertThat(waiter.getReceivedOnNext()).hasSize(1);
        waiter.getReceivedOnNext().get(0).release().block(Duration.ofSeconds(5));
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }

    @Test
    void idleHitAndReleaseAllocateOnlyTheLease() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder());

        double bytesPerCycle = AllocationMeter.bytesPerAcquireAndRelease(pool);

        // one lease is about 40 bytes; a second object per cycle would take it past 56
        assertThat(bytesPerCycle).as("bytes allocated per acquire + release").isLessThanOrEqualTo(56.0);
        assertThat(fixture.created).hasValue(1);
    }
}
