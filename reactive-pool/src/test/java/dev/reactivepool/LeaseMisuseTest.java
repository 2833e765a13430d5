package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.release;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A lease is a single-use handle: after release or invalidation it is dead, {@code get()} throws,
 * and further releases or invalidations do nothing. Misuse is harmless or fails clearly.
 */
class LeaseMisuseTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    @Test
    void getAfterReleaseThrowsLeaseReleasedExceptionNamingThePool() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().name("orders-db"));
        Lease<Res> lease = now(pool.acquire());
        assertThat(lease.isReleased()).isFalse();

        release(lease);

        assertThat(lease.isReleased()).isTrue();
        assertThatThrownBy(lease::get)
                .isInstanceOf(LeaseReleasedException.class)
                .hasMessageContaining("orders-db")
                .hasMessageContaining("already released");
    }

    @Test
    void getAfterInvalidateThrows() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder());
        Lease<Res> lease = now(pool.acquire());

        lease.invalidate().block(Duration.ofSeconds(5));

        assertThat(lease.isReleased()).isTrue();
        assertThatThrownBy(lease::get).isInstanceOf(LeaseReleasedException.class);
    }

    @Test
    void secondReleaseDoesNothing() {
        AtomicInteger resets = new AtomicInteger();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder()
                .resetter(r -> Mono.fromRunnable(resets::incrementAndGet)));
        Lease<Res> lease = now(pool.acquire());
        release(lease);
        PoolMetrics before = pool.metrics();

        StepVerifier.create(lease.release()).verifyComplete();

        PoolMetrics after = pool.metrics();
        assertThat(resets).hasValue(1);
        assertThat(after.idle()).isEqualTo(1);
        assertThat(after.leased()).isZero();
        assertThat(after.total()).isEqualTo(1);
        assertThat(after.destroyed()).isEqualTo(before.destroyed());
        assertThat(after.acquired()).isEqualTo(before.acquired());
        assertThat(after.resetFailures()).isZero();
        assertThat(fixture.destroyCalls).hasValue(0);
    }

    @Test
    void releaseTwiceDoesNotHandTheObjectOutTwice() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2));
        Lease<Res> lease = now(pool.acquire());
        release(lease);
        release(lease);

        Lease<Res> first = now(pool.acquire());
        Lease<Res> second = now(pool.acquire());

        assertThat(first.get()).isNotSameAs(second.get());
        assertThat(fixture.created).hasValue(2);
    }

    @Test
    void invalidateAfterReleaseDoesNotDestroyTheObject() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder());
        Lease<Res> lease = now(pool.acquire());
        Res res = lease.get();
        release(lease);

        StepVerifier.create(lease.invalidate()).verifyComplete();

        assertThat(res.destroyed).isFalse();
        assertThat(fixture.destroyCalls).hasValue(0);
        assertThat(pool.metrics().idle()).isEqualTo(1);
        assertThat(pool.metrics().destroyed()).isZero();
        assertThat(now(pool.acquire()).get()).isSameAs(res);
    }

    @Test
    void releaseAfterInvalidateDoesNotReturnTheDestroyedObject() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder());
        Lease<Res> lease = now(pool.acquire());
        Res res = lease.get();
        lease.invalidate().block(Duration.ofSeconds(5));

        StepVerifier.create(lease.release()).verifyComplete();

        assertThat(res.destroyed).isTrue();
        assertThat(pool.metrics().idle()).isZero();
        assertThat(pool.metrics().total()).isZero();
        assertThat(now(pool.acquire()).get()).isNotSameAs(res);
        assertThat(fixture.doubleDestroys).hasValue(0);
    }

    @Test
    void invalidateTwiceDestroysOnce() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder());
        Lease<Res> lease = now(pool.acquire());

        lease.invalidate().block(Duration.ofSeconds(5));
        lease.invalidate().block(Duration.ofSeconds(5));

        assertThat(fixture.destroyCalls).hasValue(1);
        assertThat(pool.metrics().destroyed()).isEqualTo(1);
        assertThat(pool.metrics().total()).isZero();
    }

    @Test
    void releaseIsLazyUntilSubscribed() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder());
        Lease<Res> lease = now(pool.acquire());

        Mono<Void> release = lease.release();

        assertThat(lease.isReleased()).isFalse();
        assertThat(pool.metrics().leased()).isEqualTo(1);
        assertThat(lease.get()).isNotNull();

        release.block(Duration.ofSeconds(5));
        assertThat(lease.isReleased()).isTrue();
        assertThat(pool.metrics().leased()).isZero();
    }

    @Test
    void concurrentReleasesOfOneLeaseReturnItOnce() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3));
        for (int round = 0; round < 200; round++) {
            Lease<Res> lease = now(pool.acquire());
            reactor.test.util.RaceTestUtils.race(
                    () -> lease.release().subscribe(),
                    () -> lease.release().subscribe(),
                    () -> lease.invalidate().subscribe());
            assertThat(pool.metrics().leased()).isZero();
        }
        PoolMetrics metrics = pool.metrics();
        assertThat(metrics.total()).isEqualTo(metrics.idle()).isLessThanOrEqualTo(1);
        assertThat(fixture.doubleDestroys).hasValue(0);
        assertThat(fixture.live()).isEqualTo(metrics.total());
    }

    @Test
    void releaseAfterPoolCloseDestroysTheObject() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder());
        Lease<Res> lease = now(pool.acquire());
        Res res = lease.get();
        pool.close().subscribe();

        release(lease);

        assertThat(res.destroyed).isTrue();
        assertThat(pool.metrics().total()).isZero();
        assertThat(pool.metrics().idle()).isZero();
    }

    @Test
    void leaseTellsWhenAndHowOftenItsObjectWasLeased() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().evictionInterval(Duration.ofSeconds(1)));
        fixture.advance(Duration.ofSeconds(10));
        Lease<Res> first = now(pool.acquire());
        Res res = first.get();
        Instant createdAt = first.createdAt();
        assertThat(first.timesAcquired()).isEqualTo(1);
        assertThat(createdAt).isEqualTo(Instant.ofEpochMilli(10_000));
        release(first);

        fixture.advance(Duration.ofSeconds(5));
        Lease<Res> second = now(pool.acquire());

        assertThat(second.get()).isSameAs(res);
        assertThat(second.timesAcquired()).isEqualTo(2);
        assertThat(second.createdAt()).isEqualTo(createdAt);
        // the coarse clock has the resolution of the eviction interval
        assertThat(second.acquiredAt()).isBetween(Instant.ofEpochMilli(14_000), Instant.ofEpochMilli(15_000));
    }
}
