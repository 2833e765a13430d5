package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.release;
import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.subscriber.TestSubscriber;

/**
 * DESIGN "Order": idle objects are reused FIFO by default and LIFO on request, waiters are served
 * FIFO, and past {@code maxPending} waiters an acquire fails at once with the pool's figures.
 */
class OrderTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    /** Leases three objects and releases them in creation order: Res#1, Res#2, Res#3. */
    private List<Res> leaseThreeAndReleaseInOrder(Pool<Res> pool) {
        List<Lease<Res>> leases = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            leases.add(now(pool.acquire()));
        }
        List<Res> released = new ArrayList<>();
        for (Lease<Res> lease : leases) {
            released.add(lease.get());
            release(lease);
        }
        return released;
    }

    @Test
    void idleObjectsAreReusedFifoByDefault() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3));
        List<Res> released = leaseThreeAndReleaseInOrder(pool);

        List<Res> reused = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            reused.add(now(pool.acquire()).get());
        }

        assertThat(reused).containsExactlyElementsOf(released);
    }

    @Test
    void fifoKeepsEveryIdleObjectInCirculation() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3));
        List<Res> released = leaseThreeAndReleaseInOrder(pool);

        List<Res> used = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Lease<Res> lease = now(pool.acquire());
            used.add(lease.get());
            release(lease);
        }

        assertThat(used).containsExactly(released.get(0), released.get(1), released.get(2),
                released.get(0), released.get(1), released.get(2));
    }

    @Test
    void idleObjectsAreReusedLifoOnRequest() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3).idleOrder(IdleOrder.LIFO));
        List<Res> released = leaseThreeAndReleaseInOrder(pool);

        List<Res> reused = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            reused.add(now(pool.acquire()).get());
        }

        assertThat(reused).containsExactly(released.get(2), released.get(1), released.get(0));
    }

    @Test
    void lifoKeepsReusingTheHotObject() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3).idleOrder(IdleOrder.LIFO));
        List<Res> released = leaseThreeAndReleaseInOrder(pool);

        for (int i = 0; i < 5; i++) {
            Lease<Res> lease = now(pool.acquire());
            assertThat(lease.get()).isSameAs(released.get(2));
            release(lease);
        }
    }

    @Test
    void waitersAreServedFifo() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        Lease<Res> holder = now(pool.acquire());
        List<TestSubscriber<Lease<Res>>> waiters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waiters.add(subscribe(pool.acquire()));
        }
        assertThat(pool.metrics().pending()).isEqualTo(4);

        Lease<Res> current = holder;
        for (int i = 0; i < 4; i++) {
            release(current);
            for (int j = 0; j < 4; j++) {
                assertThat(waiters.get(j).getReceivedOnNext()).as("waiter %d after %d releases", j, i + 1)
                        .hasSize(j <= i ? 1 : 0);
            }
            current = waiters.get(i).getReceivedOnNext().get(0);
        }
        assertThat(pool.metrics().pending()).isZero();
    }

    @Test
    void waitersAreServedFifoWhenObjectsAreCreatedForThem() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        Lease<Res> holder = now(pool.acquire());
        TestSubscriber<Lease<Res>> a = subscribe(pool.acquire());
        TestSubscriber<Lease<Res>> b = subscribe(pool.acquire());
        TestSubscriber<Lease<Res>> c = subscribe(pool.acquire());

        holder.invalidate().block(Duration.ofSeconds(5));

        assertThat(a.getReceivedOnNext()).singleElement().extracting(Lease::get).isSameAs(fixture.all.get(1));
        assertThat(b.getReceivedOnNext()).isEmpty();
        assertThat(c.getReceivedOnNext()).isEmpty();

        a.getReceivedOnNext().get(0).invalidate().block(Duration.ofSeconds(5));

        assertThat(b.getReceivedOnNext()).singleElement().extracting(Lease::get).isSameAs(fixture.all.get(2));
        assertThat(c.getReceivedOnNext()).isEmpty();
    }

    @Test
    void pastMaxPendingAcquireFailsAtOnceWithTheFigures() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().name("catalog").maxSize(1).maxPending(2));
        Lease<Res> holder = now(pool.acquire());
        TestSubscriber<Lease<Res>> w1 = subscribe(pool.acquire());
        TestSubscriber<Lease<Res>> w2 = subscribe(pool.acquire());

        TestSubscriber<Lease<Res>> rejected = subscribe(pool.acquire());

        assertThat(rejected.isTerminatedError()).as("fails at once, without time passing").isTrue();
        Throwable error = rejected.expectTerminalError();
        assertThat(error).isInstanceOf(PoolExhaustedException.class)
                .hasMessageContaining("catalog")
                .hasMessageContaining("maxPending=2")
                .hasMessageContaining("maxSize=1")
                .hasMessageContaining("leased=1")
                .hasMessageContaining("idle=0")
                .hasMessageContaining("pending=2")
                .hasMessageContaining("creating=0");
        PoolExhaustedException exhausted = (PoolExhaustedException) error;
        assertThat(exhausted.maxPending()).isEqualTo(2);
        assertThat(exhausted.poolName()).isEqualTo("catalog");
        assertThat(exhausted.figures()).isEqualTo(new PoolFigures(1, 1, 0, 2, 0));
        assertThat(pool.metrics().rejections()).isEqualTo(1);
        assertThat(pool.metrics().pending()).isEqualTo(2);

        // the rejection cost nobody their place
        release(holder);
        assertThat(w1.getReceivedOnNext()).hasSize(1);
        assertThat(w2.getReceivedOnNext()).isEmpty();
    }

    @Test
    void aWaiterLeavingMakesRoomBelowMaxPending() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).maxPending(1));
        now(pool.acquire());
        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());
        assertThat(subscribe(pool.acquire()).isTerminatedError()).isTrue();

        waiter.cancel();

        TestSubscriber<Lease<Res>> next = subscribe(pool.acquire());
        assertThat(next.isTerminated()).isFalse();
        assertThat(pool.metrics().pending()).isEqualTo(1);
    }

    @Test
    void maxPendingZeroNeverWaits() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).maxPending(0));
        Lease<Res> lease = now(pool.acquire());

        StepVerifier.create(pool.acquire())
                .expectError(PoolExhaustedException.class)
                .verify(Duration.ofSeconds(5));

        release(lease);
        assertThat(now(pool.acquire()).get()).isSameAs(fixture.all.get(0));
    }

    @Test
    void acquirerWhoseObjectFailedValidationIsNotOvertaken() {
        Sinks.One<Boolean> verdict = Sinks.one();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2)
                .validator(r -> r.id == 1 ? verdict.asMono() : Mono.just(true)));
        Lease<Res> first = now(pool.acquire());
        Lease<Res> second = now(pool.acquire());
        release(first); // #1 idle, #2 leased: the pool is full
        TestSubscriber<Lease<Res>> older = subscribe(pool.acquire());  // validates #1
        TestSubscriber<Lease<Res>> younger = subscribe(pool.acquire()); // waits

        verdict.tryEmitValue(false).orThrow(); // #1 destroyed: one permit frees up

        assertThat(older.getReceivedOnNext()).as("the older acquirer gets the freed place").hasSize(1);
        assertThat(younger.getReceivedOnNext()).isEmpty();
        release(second);
        assertThat(younger.getReceivedOnNext()).hasSize(1);
    }
}
