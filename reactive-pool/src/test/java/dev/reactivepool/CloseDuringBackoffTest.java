package dev.reactivepool;

import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.subscriber.TestSubscriber;

/**
 * DESIGN "Close" while objects are being created: acquirers waiting for a creation fail with
 * PoolClosedException at once; a creation only waiting for its backoff neither delays the close
 * nor subscribes to the allocator after it.
 */
class CloseDuringBackoffTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    @Test
    void acquirerWaitingForABackedOffCreationFailsWithPoolClosedAtOnce() {
        fixture.failCreations(new IllegalStateException("down"));
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1)
                .creationBackoff(Duration.ofSeconds(5), Duration.ofSeconds(5)));
        subscribe(pool.acquire()).expectTerminalError(); // the first failure starts the backoff
        TestSubscriber<Lease<Res>> waiting = subscribe(pool.acquire()); // its creation waits ~5 s

        TestSubscriber<Void> closing = subscribe(pool.close());

        assertThat(waiting.isTerminatedError()).as("failed at close, not after the backoff").isTrue();
        assertThat(waiting.expectTerminalError()).isInstanceOf(PoolClosedException.class);
        assertThat(closing.isTerminatedComplete()).as("nothing exists: close completes at once").isTrue();
        fixture.advance(Duration.ofSeconds(10));
        assertThat(fixture.allocatorSubscriptions).as("no creation after close").hasValue(1);
    }

    @Test
    void backgroundRefillWaitingForItsBackoffDoesNotHoldCloseBack() {
        fixture.failCreations(new IllegalStateException("down"));
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2).minIdle(1)
                .evictionInterval(Duration.ofSeconds(1))
                .creationBackoff(Duration.ofSeconds(5), Duration.ofSeconds(5)));
        fixture.advance(Duration.ofSeconds(2)); // the refill failed once and waits for its backoff

        TestSubscriber<Void> closing = subscribe(pool.close());

        assertThat(closing.isTerminatedComplete()).isTrue();
        int attempts = fixture.allocatorSubscriptions.get();
        fixture.advance(Duration.ofSeconds(20));
        assertThat(fixture.allocatorSubscriptions).as("no creation after close").hasValue(attempts);
    }

    @Test
    void acquirerWaitingForAnObjectBeingCreatedFailsWithPoolClosedAtOnce() {
        fixture.holdCreations();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder());
        TestSubscriber<Lease<Res>> waiting = subscribe(pool.acquire());

        TestSubscriber<Void> closing = subscribe(pool.close());

        assertThat(waiting.expectTerminalError()).as("failed at close, not when the creation ends")
                .isInstanceOf(PoolClosedException.class);
        assertThat(closing.isTerminated()).as("an object is being created").isFalse();
        fixture.completeCreation();
        assertThat(fixture.all.get(0).destroyed).isTrue();
        assertThat(closing.isTerminatedComplete()).isTrue();
    }
}
