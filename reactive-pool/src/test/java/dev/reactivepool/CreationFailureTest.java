package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.subscriber.TestSubscriber;

/**
 * DESIGN "Creation failures": the allocator's error reaches the acquirer whose creation failed,
 * no permit is lost, attempts back off (bounded, jittered, one at a time) while the backend is
 * down, and the pool recovers by itself. Creation has a timeout. Driven by virtual time.
 */
class CreationFailureTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    @Test
    void allocatorErrorReachesTheAcquirerThatCausedIt() {
        IllegalStateException refused = new IllegalStateException("connection refused");
        fixture.failCreations(refused);
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder());

        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire());

        assertThat(acquirer.expectTerminalError()).isSameAs(refused);
        PoolMetrics metrics = pool.metrics();
        assertThat(metrics.creationFailures()).isEqualTo(1);
        assertThat(metrics.creating()).isZero();
        assertThat(metrics.total()).isZero();
        assertThat(metrics.pending()).isZero();
    }

    @Test
    void asynchronousAllocatorErrorReachesTheAcquirer() {
        fixture.holdCreations();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire());
        TestSubscriber<Lease<Res>> other = subscribe(pool.acquire());
        IllegalStateException refused = new IllegalStateException("handshake failed");

        fixture.failCreation(refused);

        assertThat(acquirer.expectTerminalError()).isSameAs(refused);
        assertThat(other.isTerminated()).as("the other waiter keeps waiting").isFalse();
        assertThat(pool.metrics().total()).isLessThanOrEqualTo(1);
    }

    @Test
    void failedCreationDoesNotLoseThePermit() {
        fixture.failCreations(new IllegalStateException("down"));
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        subscribe(pool.acquire()).expectTerminalError();
        fixture.failCreations(null);

        TestSubscriber<Lease<Res>> next = subscribe(pool.acquire());
        fixture.advance(Duration.ofSeconds(1)); // past the first backoff step (100 ms ± 25%)

        assertThat(next.getReceivedOnNext()).hasSize(1);
        assertThat(pool.metrics().total()).isEqualTo(1);
    }

    @Test
    void emptyAllocatorFailsTheAcquireClearly() {
        Pool<Res> pool = fixture.track(Pool.<Res>builder(Mono.empty()).name("empty-allocator")
                .timerScheduler(fixture.clock).build());

        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire());

        assertThat(acquirer.expectTerminalError()).hasMessageContaining("empty-allocator")
                .hasMessageContaining("without an object");
        assertThat(pool.metrics().total()).isZero();
        assertThat(pool.metrics().creationFailures()).isEqualTo(1);
    }

    @Test
    void creationTimeoutFailsTheAcquirerAndFreesThePermit() {
        fixture.holdCreations();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1)
                .createTimeout(Duration.ofSeconds(3)).acquireTimeout(Duration.ofSeconds(60)));
        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire());

        fixture.advance(Duration.ofMillis(2999));
        assertThat(acquirer.isTerminated()).isFalse();
        fixture.advance(Duration.ofMillis(1));

        // the creation's failure, not the acquirer's own timeout (60 s), and it says which pool and option
        assertThat(acquirer.expectTerminalError()).isNotInstanceOf(AcquireTimeoutException.class)
                .hasMessageContaining("test-pool").hasMessageContaining("createTimeout");
        assertThat(pool.metrics().creationFailures()).isEqualTo(1);
        assertThat(pool.metrics().creating()).isZero();
        assertThat(pool.metrics().total()).isZero();
        assertThat(fixture.liveOrCreating()).as("the hung allocator was cancelled").isZero();
    }

    @Test
    void attemptsBackOffWhileCreationFailsAndThePoolRecovers() {
        fixture.failCreations(new IllegalStateException("database restarting"));
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3)
                .acquireTimeout(Duration.ofSeconds(120))
                .creationBackoff(Duration.ofMillis(100), Duration.ofSeconds(5)));
        List<TestSubscriber<Lease<Res>>> acquirers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            acquirers.add(subscribe(pool.acquire()));
        }
        assertThat(fixture.allocatorSubscriptions).as("one attempt, then the others wait for the backoff")
                .hasValue(1);

        fixture.advance(Duration.ofMillis(74)); // below 100 ms - 25%
        assertThat(fixture.allocatorSubscriptions).hasValue(1);

        fixture.advance(Duration.ofSeconds(20).minusMillis(74));
        // delays 100, 200, 400, ... ms capped at 5 s, each ±25%: 8 to 11 attempts in 20 s
        assertThat(fixture.allocatorSubscriptions.get()).isBetween(8, 11);
        long failed = acquirers.stream().filter(TestSubscriber::isTerminatedError).count();
        assertThat(failed).as("each failed attempt failed exactly one acquirer")
                .isEqualTo(fixture.allocatorSubscriptions.get());
        assertThat(pool.metrics().creationFailures()).isEqualTo(fixture.allocatorSubscriptions.get());
        // at most the one attempt waiting for its backoff holds a permit
        assertThat(pool.metrics().total()).isLessThanOrEqualTo(1);
        assertThat(pool.metrics().creating()).isLessThanOrEqualTo(1);

        fixture.failCreations(null);
        fixture.advance(Duration.ofSeconds(7)); // longer than the longest backoff step

        long served = acquirers.stream().filter(s -> s.getReceivedOnNext().size() == 1).count();
        assertThat(served).as("recovered: every permit in use again").isEqualTo(3);
        assertThat(pool.metrics().total()).isEqualTo(3);
        assertThat(fixture.maxLiveOrCreating()).isLessThanOrEqualTo(3);
    }

    @Test
    void minIdleIsRestoredInTheBackgroundOnceCreationWorksAgain() {
        fixture.failCreations(new IllegalStateException("down"));
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(4).minIdle(2)
                .evictionInterval(Duration.ofSeconds(1)));
        pool.warmup().onErrorResume(e -> Mono.empty()).block(Duration.ofSeconds(5));
        fixture.advance(Duration.ofSeconds(10));
        assertThat(pool.metrics().idle()).isZero();
        int attemptsWhileDown = fixture.allocatorSubscriptions.get();
        assertThat(attemptsWhileDown).as("background refills back off too").isLessThan(15);

        fixture.failCreations(null);
        fixture.advance(Duration.ofSeconds(10));

        assertThat(pool.metrics().idle()).isEqualTo(2);
        assertThat(pool.metrics().total()).isEqualTo(2);
        assertThat(now(pool.acquire())).isNotNull();
    }

    @Test
    void warmupReportsCreationFailure() {
        IllegalStateException down = new IllegalStateException("down");
        fixture.failCreations(down);
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(4).minIdle(2));

        TestSubscriber<Integer> warmup = subscribe(pool.warmup());

        assertThat(warmup.isTerminatedError() || warmup.getReceivedOnNext().equals(List.of(0)))
                .as("fails or reports that nothing was created").isTrue();
        assertThat(fixture.allocatorSubscriptions.get()).isLessThanOrEqualTo(2);
        // nothing exists; at most one background refill waits for its backoff
        assertThat(fixture.liveOrCreating()).isZero();
        assertThat(pool.metrics().total()).isLessThanOrEqualTo(1);
    }

    @Test
    void backoffNeverExceedsItsMaximum() {
        fixture.failCreations(new IllegalStateException("down"));
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1)
                .acquireTimeout(Duration.ofMinutes(10))
                .creationBackoff(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        for (int i = 0; i < 40; i++) {
            subscribe(pool.acquire());
        }

        fixture.advance(Duration.ofSeconds(20));

        // delays 1 s then 2 s, each at most the 2 s maximum and at least 75% of its step
        assertThat(fixture.allocatorSubscriptions.get()).isBetween(10, 14);
    }

    @Test
    void eachFailedAttemptFailsTheOldestWaiterFirst() {
        fixture.failCreations(new IllegalStateException("down"));
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).acquireTimeout(Duration.ofMinutes(5))
                .creationBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1)));
        TestSubscriber<Lease<Res>> a = subscribe(pool.acquire());
        TestSubscriber<Lease<Res>> b = subscribe(pool.acquire());
        TestSubscriber<Lease<Res>> c = subscribe(pool.acquire());
        assertThat(a.isTerminatedError()).isTrue();
        assertThat(b.isTerminated()).isFalse();

        fixture.advance(Duration.ofMillis(1250)); // one backoff step (1 s ± 25%, capped at 1 s)
        assertThat(b.isTerminatedError()).isTrue();
        assertThat(c.isTerminated()).isFalse();

        fixture.failCreations(null);
        fixture.advance(Duration.ofMillis(1250));
        assertThat(c.getReceivedOnNext()).hasSize(1);
    }

    @Test
    void backoffIsJitteredWithinTwentyFivePercent() {
        java.util.Set<Long> firstDelays = new java.util.TreeSet<>();
        for (int i = 0; i < 20; i++) {
            PoolFixture local = new PoolFixture();
            try {
                local.failCreations(new IllegalStateException("down"));
                Pool<Res> pool = local.build(local.virtualTimeBuilder().maxSize(1)
                        .evictionInterval(Duration.ofHours(1)).acquireTimeout(Duration.ofMinutes(1)));
                subscribe(pool.acquire()).expectTerminalError();
                subscribe(pool.acquire());
                long waited = 0;
                while (local.allocatorSubscriptions.get() < 2 && waited < 1000) {
                    local.advance(Duration.ofMillis(1));
                    waited++;
                }
                firstDelays.add(waited);
            } finally {
                local.close();
            }
        }

        assertThat(firstDelays).allSatisfy(d -> assertThat(d).isBetween(75L, 125L));
        assertThat(firstDelays).as("not the same delay for every pool").hasSizeGreaterThan(1);
    }
}
