package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.release;
import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;
import reactor.test.subscriber.TestSubscriber;

/** {@link Pool#evictAll()}: idle objects go at once, leased ones on return, later acquires get new objects. */
class EvictAllTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    @ParameterizedTest
    @EnumSource(IdleOrder.class)
    void idleObjectsAreDestroyedAtOnceAndLeasedOnesWhenReturned(IdleOrder order) {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3).idleOrder(order));
        Lease<Res> a = now(pool.acquire());
        Lease<Res> b = now(pool.acquire());
        Lease<Res> c = now(pool.acquire());
        release(a);

        pool.evictAll();

        assertThat(fixture.all.get(0).destroyed).isTrue();
        assertThat(pool.metrics().idle()).isZero();
        Lease<Res> d = now(pool.acquire());
        assertThat(d.get().id).as("a new object, not one of the leased ones").isEqualTo(4);
        release(b);
        release(c);
        assertThat(fixture.all.get(1).destroyed).isTrue();
        assertThat(fixture.all.get(2).destroyed).isTrue();
        assertThat(pool.metrics().idle()).isZero();
        assertThat(pool.metrics().evicted()).isEqualTo(3);
        release(d);
        assertThat(pool.metrics().idle()).isEqualTo(1);
        assertThat(fixture.live()).isEqualTo(1);
    }

    @Test
    void anObjectReleasedToAWaiterAfterTheCallIsDestroyedAndTheWaiterGetsANewOne() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        Lease<Res> old = now(pool.acquire());
        pool.evictAll();
        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());

        release(old);

        assertThat(waiter.getReceivedOnNext()).hasSize(1);
        assertThat(waiter.getReceivedOnNext().get(0).get().id).isEqualTo(2);
        assertThat(fixture.all.get(0).destroyed).isTrue();
    }

    @Test
    void aCreationStartedBeforeTheCallServesItsOwnAcquirerOnlyAndIsDestroyedOnReturn() {
        fixture.holdCreations();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2));
        TestSubscriber<Lease<Res>> early = subscribe(pool.acquire());
        TestSubscriber<Lease<Res>> leaving = subscribe(pool.acquire());

        pool.evictAll();
        leaving.cancel();
        fixture.completeCreation();
        fixture.completeCreation();

        assertThat(early.getReceivedOnNext()).hasSize(1); // it asked before the call
        assertThat(fixture.all).hasSize(2);
        Res leftOver = fixture.all.stream().filter(r -> r != early.getReceivedOnNext().get(0).get()).findFirst()
                .orElseThrow();
        assertThat(leftOver.destroyed).as("nobody took it: destroyed, not made idle").isTrue();
        release(early.getReceivedOnNext().get(0));
        assertThat(fixture.live()).isZero();
        assertThat(pool.metrics().total()).isZero();
    }

    /** A test object that knows when its creation started (allocator subscription number). */
    record Conn(int startedAs, AtomicBoolean destroyed) {
    }

    @Test
    void underLoadNothingIsLostAndNoOlderObjectIsHandedOutAfterTheCall() throws Exception {
        AtomicInteger subscriptions = new AtomicInteger();
        AtomicInteger live = new AtomicInteger();
        Queue<Conn> all = new ConcurrentLinkedQueue<>();
        Pool<Conn> pool = fixture.track(Pool.builder(Mono.fromSupplier(() -> {
                    Conn conn = new Conn(subscriptions.incrementAndGet(), new AtomicBoolean());
                    live.incrementAndGet();
                    all.add(conn);
                    return conn;
                }))
                .destroyer(conn -> Mono.fromRunnable(() -> {
                    assertThat(conn.destroyed().compareAndSet(false, true)).as("destroyed once").isTrue();
                    live.decrementAndGet();
                }))
                .maxSize(4).name("evict-all-load").build());

        int threads = 4;
        int rounds = 3;
        AtomicInteger evictedUpTo = new AtomicInteger(); // subscriptions started before the last evictAll
        AtomicInteger violations = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        int before = evictedUpTo.get(); // read before subscribing: the call returned already
                        Lease<Conn> lease = pool.acquire().block(Duration.ofSeconds(10));
                        if (lease.get().startedAs() <= before) {
                            violations.incrementAndGet();
                        }
                        assertThat(lease.get().destroyed()).isFalse();
                        served.incrementAndGet();
                        lease.release().block(Duration.ofSeconds(10));
                    }
                } catch (Throwable e) {
                    errors.add(e);
                } finally {
                    done.countDown();
                }
            }, "evict-all-worker-" + t);
            workers.add(worker);
            worker.start();
        }
        for (int round = 0; round < rounds; round++) {
            int target = served.get() + 2_000;
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> served.get() >= target);
            int started = subscriptions.get(); // these creations started before the call below
            pool.evictAll();
            evictedUpTo.set(started);
        }
        int target = served.get() + 2_000;
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> served.get() >= target);
        stop.set(true);
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();

        assertThat(errors).isEmpty();
        assertThat(violations.get()).as("acquires after an evictAll that got an older object").isZero();
        PoolMetrics m = pool.metrics();
        assertThat(m.leased()).isZero();
        assertThat(m.total()).as("nothing lost: the pool's count is the test's count").isEqualTo(live.get());
        assertThat(m.idle()).isEqualTo(live.get());
        int lastEvicted = evictedUpTo.get();
        assertThat(all).filteredOn(conn -> conn.startedAs() <= lastEvicted)
                .as("no object older than the last eviction is left once all returned")
                .allSatisfy(conn -> assertThat(conn.destroyed()).isTrue());
        assertThat(m.created() - m.destroyed()).isEqualTo(live.get());
    }
}
