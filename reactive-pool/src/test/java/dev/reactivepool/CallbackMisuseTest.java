package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.subscriber.TestSubscriber;

/**
 * Misbehaving user callbacks (a validator, resetter or destroyer that throws or returns null) are
 * failures of that step like any other: they never lose an object or a permit.
 */
class CallbackMisuseTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    /** With maxSize 1, the single permit must still be usable. */
    private void assertPermitUsable(Pool<Res> pool) {
        TestSubscriber<Lease<Res>> next = subscribe(pool.acquire(Duration.ofSeconds(1)));
        fixture.advance(Duration.ofSeconds(1));
        assertThat(next.getReceivedOnNext()).as("the permit is still usable").hasSize(1);
    }

    @Test
    void validatorReturningNullCountsAsAFailedValidation() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).validator(r -> null));
        now(pool.acquire()).release().block(Duration.ofSeconds(5));

        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire(Duration.ofSeconds(1)));

        assertThat(acquirer.getReceivedOnNext()).as("a new, unvalidated object").hasSize(1);
        assertThat(fixture.all.get(0).destroyed).isTrue();
        assertThat(pool.metrics().validationFailures()).isEqualTo(1);
    }

    @Test
    void resetterReturningNullCountsAsAFailedReset() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).resetter(r -> null));
        Lease<Res> lease = now(pool.acquire());

        TestSubscriber<Void> releasing = subscribe(lease.release());

        assertThat(releasing.isTerminated()).isTrue();
        assertThat(fixture.all.get(0).destroyed).isTrue();
        assertThat(pool.metrics().resetFailures()).isEqualTo(1);
        assertPermitUsable(pool);
    }

    @Test
    void destroyerReturningNullStillFreesThePermit() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).destroyer(r -> null));
        Lease<Res> lease = now(pool.acquire());

        TestSubscriber<Void> invalidating = subscribe(lease.invalidate());

        assertThat(invalidating.isTerminated()).isTrue();
        assertThat(pool.metrics().destroyFailures()).isEqualTo(1);
        assertThat(pool.metrics().total()).isZero();
        assertPermitUsable(pool);
    }

    @Test
    void destroyerThrowingStillFreesThePermit() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).destroyer(r -> {
            throw new IllegalStateException("close failed");
        }));
        Lease<Res> lease = now(pool.acquire());

        lease.invalidate().block(Duration.ofSeconds(5));

        assertThat(pool.metrics().destroyFailures()).isEqualTo(1);
        assertThat(pool.metrics().destroyed()).isEqualTo(1);
        assertThat(pool.metrics().total()).isZero();
        assertPermitUsable(pool);
    }

    @Test
    void destroyerFailingAsynchronouslyStillFreesThePermit() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1)
                .destroyer(r -> Mono.error(new IllegalStateException("close failed"))));
        Lease<Res> lease = now(pool.acquire());

        lease.invalidate().block(Duration.ofSeconds(5));

        assertThat(pool.metrics().destroyFailures()).isEqualTo(1);
        assertThat(pool.metrics().total()).isZero();
        assertPermitUsable(pool);
    }
}
