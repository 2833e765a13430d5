package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.subscriber.TestSubscriber;

/**
 * The {@code Mono}s of {@link Lease#release()} and {@link Lease#invalidate()} complete when the
 * documented step is over: the object is back in the pool, or destroyed.
 */
class LeaseCompletionTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    @Test
    void invalidateCompletesWhenTheObjectIsDestroyed() {
        fixture.holdDestroys();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder());
        Lease<Res> lease = now(pool.acquire());

        TestSubscriber<Void> invalidating = subscribe(lease.invalidate());
        assertThat(invalidating.isTerminated()).as("the destroyer has not finished").isFalse();

        fixture.completeDestroy();
        assertThat(invalidating.isTerminatedComplete()).isTrue();
    }

    @Test
    void releaseThatDestroysCompletesWhenTheObjectIsDestroyed() {
        fixture.holdDestroys();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxUses(1));
        Lease<Res> lease = now(pool.acquire());

        TestSubscriber<Void> releasing = subscribe(lease.release());
        assertThat(releasing.isTerminated()).as("the destroyer has not finished").isFalse();

        fixture.completeDestroy();
        assertThat(releasing.isTerminatedComplete()).isTrue();
    }
}
