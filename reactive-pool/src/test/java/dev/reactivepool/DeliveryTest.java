package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.release;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.subscriber.TestSubscriber;

/**
 * DESIGN "Never blocks": no thread hop by default (a lease is emitted on the thread that made
 * the object available: the subscriber's, the releaser's or the allocator's); with a
 * {@code deliveryScheduler}, leases are emitted on that scheduler.
 */
class DeliveryTest {

    private final PoolFixture fixture = new PoolFixture();
    private final Scheduler allocatorThread = Schedulers.newSingle("allocator-thread");
    private final Scheduler deliveryThread = Schedulers.newSingle("delivery-thread");
    private final Scheduler releaserThread = Schedulers.newSingle("releaser-thread");

    @AfterEach
    void closePools() {
        fixture.close();
        allocatorThread.dispose();
        deliveryThread.dispose();
        releaserThread.dispose();
    }

    private static CompletableFuture<String> threadOfLease(Mono<Lease<Res>> acquire) {
        CompletableFuture<String> thread = new CompletableFuture<>();
        acquire.subscribe(l -> thread.complete(Thread.currentThread().getName()), thread::completeExceptionally);
        return thread;
    }

    @Test
    void newObjectIsDeliveredOnTheAllocatorsThreadByDefault() throws Exception {
        Pool<Res> pool = fixture.build(Pool.builder(fixture.allocator().publishOn(allocatorThread))
                .destroyer(fixture.destroyer()));

        String thread = threadOfLease(pool.acquire()).get(5, TimeUnit.SECONDS);

        assertThat(thread).startsWith("allocator-thread");
    }

    @Test
    void handedOffObjectIsDeliveredOnTheReleasingThreadByDefault() throws Exception {
        Pool<Res> pool = fixture.build(fixture.builder().maxSize(1));
        Lease<Res> holder = now(pool.acquire());
        CompletableFuture<String> waiter = threadOfLease(pool.acquire());

        releaserThread.schedule(() -> holder.release().subscribe());

        assertThat(waiter.get(5, TimeUnit.SECONDS)).startsWith("releaser-thread");
    }

    @Test
    void newObjectIsDeliveredOnTheDeliverySchedulerWhenGiven() throws Exception {
        Pool<Res> pool = fixture.build(Pool.builder(fixture.allocator().publishOn(allocatorThread))
                .destroyer(fixture.destroyer()).deliveryScheduler(deliveryThread));

        String thread = threadOfLease(pool.acquire()).get(5, TimeUnit.SECONDS);

        assertThat(thread).startsWith("delivery-thread");
    }

    @Test
    void handedOffObjectIsDeliveredOnTheDeliverySchedulerWhenGiven() throws Exception {
        Pool<Res> pool = fixture.build(fixture.builder().maxSize(1).deliveryScheduler(deliveryThread));
        Lease<Res> holder = pool.acquire().block(Duration.ofSeconds(5));
        CompletableFuture<String> waiter = threadOfLease(pool.acquire());

        releaserThread.schedule(() -> holder.release().subscribe());

        assertThat(waiter.get(5, TimeUnit.SECONDS)).startsWith("delivery-thread");
    }

    @Test
    void idleHitIsDeliveredOnTheDeliverySchedulerWhenGiven() throws Exception {
        Pool<Res> pool = fixture.build(fixture.builder().deliveryScheduler(deliveryThread));
        release(pool.acquire().block(Duration.ofSeconds(5)));

        String thread = threadOfLease(pool.acquire()).get(5, TimeUnit.SECONDS);

        assertThat(thread).startsWith("delivery-thread");
        assertThat(pool.metrics().leased()).isEqualTo(1);
        assertThat(fixture.created).hasValue(1);
    }

    @Test
    void cancelWhileTheDeliveryIsScheduledReturnsTheObject() throws Exception {
        // a blocking-capable delivery thread that the test can hold busy
        Scheduler slowDelivery = Schedulers.newBoundedElastic(1, 100, "slow-delivery");
        try {
            Pool<Res> pool = fixture.build(fixture.builder().maxSize(1).deliveryScheduler(slowDelivery));
            release(pool.acquire().block(Duration.ofSeconds(5)));
            CompletableFuture<Void> busy = new CompletableFuture<>();
            CompletableFuture<Void> free = new CompletableFuture<>();
            slowDelivery.schedule(() -> {
                busy.complete(null);
                free.join();
            });
            busy.get(5, TimeUnit.SECONDS);
            TestSubscriber<Lease<Res>> acquirer = TestSubscriber.create();
            pool.acquire().subscribe(acquirer);

            acquirer.cancel();
            free.complete(null);

            Lease<Res> next = pool.acquire().block(Duration.ofSeconds(5));
            assertThat(next).isNotNull();
            assertThat(next.get()).isSameAs(fixture.all.get(0));
            assertThat(acquirer.getReceivedOnNext()).isEmpty();
        } finally {
            slowDelivery.dispose();
        }
    }

    @Test
    void aDeliverySchedulerThatRefusesWorkStillDelivers() throws Exception {
        Scheduler disposed = Schedulers.newSingle("disposed-delivery");
        disposed.dispose();
        Pool<Res> pool = fixture.build(fixture.builder().maxSize(1).deliveryScheduler(disposed));

        Lease<Res> lease = pool.acquire().block(Duration.ofSeconds(5));

        assertThat(lease).isNotNull();
        release(lease);
        assertThat(pool.acquire().block(Duration.ofSeconds(5))).isNotNull();
    }

    @Test
    void objectResetOnAnotherThreadIsDeliveredOnThatThreadByDefault() throws Exception {
        Pool<Res> pool = fixture.build(fixture.builder().maxSize(1)
                .resetter(r -> Mono.<Void>empty().publishOn(allocatorThread)));
        Lease<Res> holder = pool.acquire().block(Duration.ofSeconds(5));
        CompletableFuture<String> waiter = threadOfLease(pool.acquire());

        holder.release().subscribe();

        assertThat(waiter.get(5, TimeUnit.SECONDS)).as("the thread that finished the reset")
                .startsWith("allocator-thread");
    }
}
