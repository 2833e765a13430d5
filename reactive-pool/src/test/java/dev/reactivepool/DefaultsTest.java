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
import reactor.test.subscriber.TestSubscriber;

/**
 * The defaults documented in the {@link PoolBuilder} table hold: each is observed through the
 * pool's behaviour under virtual time, with every other option left at its default too.
 */
class DefaultsTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    @Test
    void maxSizeIsTenAndMaxIdleIsMaxSize() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder());
        List<Lease<Res>> leases = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            leases.add(now(pool.acquire()));
        }

        TestSubscriber<Lease<Res>> eleventh = subscribe(pool.acquire());

        assertThat(eleventh.isTerminated()).as("waits: the pool is full").isFalse();
        assertThat(pool.metrics().maxSize()).isEqualTo(10);
        leases.forEach(PoolFixture::release);
        release(eleventh.getReceivedOnNext().get(0));
        assertThat(pool.metrics().idle()).as("no idle cap below maxSize").isEqualTo(10);
        assertThat(pool.metrics().maxIdle()).isEqualTo(10);
    }

    @Test
    void pendingIsUnbounded() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        now(pool.acquire());

        for (int i = 0; i < 5_000; i++) {
            subscribe(pool.acquire());
        }

        assertThat(pool.metrics().pending()).isEqualTo(5_000);
        assertThat(pool.metrics().rejections()).isZero();
    }

    @Test
    void createTimeoutIsThirtySeconds() {
        fixture.holdCreations();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().acquireTimeout(Duration.ofMinutes(5)));
        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire());

        fixture.advance(Duration.ofMillis(29_999));
        assertThat(acquirer.isTerminated()).isFalse();
        fixture.advance(Duration.ofMillis(1));

        assertThat(acquirer.isTerminatedError()).isTrue();
        assertThat(pool.metrics().creationFailures()).isEqualTo(1);
    }

    @Test
    void destroyTimeoutIsTenSeconds() {
        fixture.holdDestroys();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder());
        now(pool.acquire()).invalidate().subscribe();

        fixture.advance(Duration.ofMillis(9_999));
        assertThat(pool.metrics().total()).isEqualTo(1);
        fixture.advance(Duration.ofMillis(1));

        assertThat(pool.metrics().total()).isZero();
        assertThat(pool.metrics().destroyFailures()).isEqualTo(1);
    }

    @Test
    void validationTimeoutIsFiveSeconds() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2)
                .validator(r -> r.id == 1 ? Mono.never() : Mono.just(true)));
        release(now(pool.acquire()));
        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire());

        fixture.advance(Duration.ofMillis(4_999));
        assertThat(acquirer.getReceivedOnNext()).isEmpty();
        fixture.advance(Duration.ofMillis(1));

        assertThat(pool.metrics().validationFailures()).isEqualTo(1);
        assertThat(acquirer.getReceivedOnNext()).singleElement().extracting(l -> l.get().id).isEqualTo(2);
    }

    @Test
    void resetTimeoutIsFiveSeconds() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().resetter(r -> Mono.never()));
        TestSubscriber<Void> releasing = subscribe(now(pool.acquire()).release());

        fixture.advance(Duration.ofMillis(4_999));
        assertThat(releasing.isTerminated()).isFalse();
        fixture.advance(Duration.ofMillis(1));

        assertThat(pool.metrics().resetFailures()).isEqualTo(1);
        assertThat(releasing.isTerminatedComplete()).isTrue();
    }

    @Test
    void validationIsAlwaysRunByDefault() {
        List<Res> validated = new ArrayList<>();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder()
                .validator(r -> Mono.fromSupplier(() -> validated.add(r))));
        release(now(pool.acquire()));

        release(now(pool.acquire()));

        assertThat(validated).hasSize(1);
    }

    @Test
    void nothingExpiresAndUsesAreUnlimitedByDefault() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        for (int i = 0; i < 100; i++) {
            release(now(pool.acquire()));
        }

        fixture.advance(Duration.ofDays(2));

        assertThat(pool.metrics().idle()).isEqualTo(1);
        assertThat(fixture.created).hasValue(1);
        assertThat(pool.metrics().leaks()).isZero();
    }

    @Test
    void evictionRunsEverySecond() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().idleTimeout(Duration.ofMillis(1)));
        release(now(pool.acquire()));

        fixture.advance(Duration.ofMillis(999));
        assertThat(pool.metrics().idle()).isEqualTo(1);
        fixture.advance(Duration.ofMillis(1));

        assertThat(pool.metrics().idle()).isZero();
    }

    @Test
    void creationBackoffStartsAtAHundredMillisecondsWithJitter() {
        fixture.failCreations(new IllegalStateException("down"));
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));
        subscribe(pool.acquire()).expectTerminalError();
        subscribe(pool.acquire());

        fixture.advance(Duration.ofMillis(74));
        assertThat(fixture.allocatorSubscriptions).hasValue(1);
        fixture.advance(Duration.ofMillis(51)); // 125 ms: the upper end of 100 ms ± 25%

        assertThat(fixture.allocatorSubscriptions).hasValue(2);
    }

    @Test
    void holdTimeIsSampledOneLeaseInSixtyFourPlusTheFirstOfEachTick() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1));

        for (int i = 0; i < 256; i++) {
            release(now(pool.acquire()));
        }

        // Leases 64, 128, 192 and 256, and the first lease in this tick of the coarse clock.
        assertThat(pool.metrics().holdTime().count()).isEqualTo(5);
    }
}
