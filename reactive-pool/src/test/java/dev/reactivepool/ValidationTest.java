package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.release;
import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.subscriber.TestSubscriber;

/**
 * DESIGN "Validation and reset are asynchronous": an idle object is validated before it is
 * leased; one that fails (false, error, empty, timeout) is destroyed and another is drawn,
 * invisibly to the caller; new objects are not validated; validation may be skipped for objects
 * released less than {@code skipValidationWithin} ago.
 */
class ValidationTest {

    private final PoolFixture fixture = new PoolFixture();
    private final List<Res> validated = new CopyOnWriteArrayList<>();
    private final Set<Res> broken = ConcurrentHashMap.newKeySet();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    /** A validator that records its calls and says false for objects in {@link #broken}. */
    private Function<Res, Publisher<Boolean>> recordingValidator() {
        return res -> Mono.fromSupplier(() -> {
            validated.add(res);
            return !broken.contains(res);
        });
    }

    private List<Res> idleObjects(Pool<Res> pool, int n) {
        List<Lease<Res>> leases = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            leases.add(now(pool.acquire()));
        }
        List<Res> objects = new ArrayList<>();
        for (Lease<Res> lease : leases) {
            objects.add(lease.get());
            release(lease);
        }
        return objects;
    }

    @Test
    void newObjectsAreNotValidated() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().validator(recordingValidator()));

        now(pool.acquire());

        assertThat(validated).isEmpty();
    }

    @Test
    void idleObjectIsValidatedBeforeItIsLeased() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().validator(recordingValidator()));
        Res res = idleObjects(pool, 1).get(0);

        Lease<Res> lease = now(pool.acquire());

        assertThat(lease.get()).isSameAs(res);
        assertThat(validated).containsExactly(res);
        assertThat(pool.metrics().validationFailures()).isZero();
    }

    @Test
    void failedValidationDestroysTheObjectAndDrawsAnotherInvisibly() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3).validator(recordingValidator()));
        List<Res> idle = idleObjects(pool, 3);
        broken.add(idle.get(0));
        broken.add(idle.get(1));

        Lease<Res> lease = now(pool.acquire());

        assertThat(lease.get()).isSameAs(idle.get(2));
        assertThat(validated).containsExactlyElementsOf(idle);
        assertThat(idle.get(0).destroyed).isTrue();
        assertThat(idle.get(1).destroyed).isTrue();
        assertThat(pool.metrics().validationFailures()).isEqualTo(2);
        assertThat(pool.metrics().destroyed()).isEqualTo(2);
        assertThat(pool.metrics().total()).isEqualTo(1);
    }

    @Test
    void whenEveryIdleObjectIsInvalidANewOneIsCreated() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2).validator(recordingValidator()));
        List<Res> idle = idleObjects(pool, 2);
        broken.addAll(idle);

        Lease<Res> lease = now(pool.acquire());

        assertThat(lease.get()).isNotIn(idle);
        assertThat(lease.get().id).isEqualTo(3);
        assertThat(fixture.destroyed).hasValue(2);
        assertThat(fixture.maxLiveOrCreating()).isLessThanOrEqualTo(2);
    }

    @Test
    void callerSeesAnErrorOnlyWhenNoValidObjectCanBeHad() {
        IllegalStateException down = new IllegalStateException("backend down");
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2).validator(recordingValidator()));
        List<Res> idle = idleObjects(pool, 2);
        broken.addAll(idle);
        fixture.failCreations(down);

        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire());

        assertThat(acquirer.expectTerminalError()).isSameAs(down);
        assertThat(fixture.destroyed).hasValue(2);
        assertThat(pool.metrics().total()).isZero();
    }

    @Test
    void validationErrorCountsAsFailure() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2)
                .validator(r -> r.id == 1 ? Mono.error(new IllegalStateException("ping failed")) : Mono.just(true)));
        idleObjects(pool, 2);

        Lease<Res> lease = now(pool.acquire());

        assertThat(lease.get().id).isEqualTo(2);
        assertThat(fixture.all.get(0).destroyed).isTrue();
        assertThat(pool.metrics().validationFailures()).isEqualTo(1);
    }

    @Test
    void validatorThrowingCountsAsFailure() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2)
                .validator(r -> {
                    if (r.id == 1) {
                        throw new IllegalStateException("validator bug");
                    }
                    return Mono.just(true);
                }));
        idleObjects(pool, 2);

        Lease<Res> lease = now(pool.acquire());

        assertThat(lease.get().id).isEqualTo(2);
        assertThat(fixture.all.get(0).destroyed).isTrue();
    }

    @Test
    void emptyValidationCountsAsFailure() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2)
                .validator(r -> r.id == 1 ? Mono.empty() : Mono.just(true)));
        idleObjects(pool, 2);

        Lease<Res> lease = now(pool.acquire());

        assertThat(lease.get().id).isEqualTo(2);
        assertThat(pool.metrics().validationFailures()).isEqualTo(1);
    }

    @Test
    void validationTimeoutCountsAsFailure() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(2)
                .validator(r -> r.id == 1 ? Mono.never() : Mono.just(true))
                .validationTimeout(Duration.ofSeconds(3)));
        idleObjects(pool, 2);
        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire());

        fixture.advance(Duration.ofMillis(2999));
        assertThat(acquirer.getReceivedOnNext()).isEmpty();
        fixture.advance(Duration.ofMillis(1));

        assertThat(acquirer.getReceivedOnNext()).singleElement().extracting(l -> l.get().id).isEqualTo(2);
        assertThat(fixture.all.get(0).destroyed).isTrue();
        assertThat(pool.metrics().validationFailures()).isEqualTo(1);
    }

    @Test
    void validationIsAsynchronousAndDoesNotHoldOtherAcquirers() {
        Sinks.One<Boolean> slow = Sinks.one();
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3)
                .validator(r -> r.id == 1 ? slow.asMono() : Mono.just(true)));
        idleObjects(pool, 2);

        TestSubscriber<Lease<Res>> first = subscribe(pool.acquire());
        TestSubscriber<Lease<Res>> second = subscribe(pool.acquire());

        assertThat(first.getReceivedOnNext()).isEmpty();
        assertThat(second.getReceivedOnNext()).as("served while the first object is being validated")
                .hasSize(1);
        slow.tryEmitValue(true).orThrow();
        assertThat(first.getReceivedOnNext()).singleElement().extracting(l -> l.get().id).isEqualTo(1);
    }

    @Test
    void validationIsSkippedForAnObjectReleasedWithinTheWindow() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().validator(recordingValidator())
                .skipValidationWithin(Duration.ofSeconds(10)));
        Res res = idleObjects(pool, 1).get(0);

        Lease<Res> lease = now(pool.acquire());

        assertThat(lease.get()).isSameAs(res);
        assertThat(validated).isEmpty();
    }

    @Test
    void validationIsNotSkippedOnceTheWindowHasPassedOnThePoolClock() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().validator(recordingValidator())
                .skipValidationWithin(Duration.ofSeconds(10)));
        Res res = idleObjects(pool, 1).get(0);

        fixture.advance(Duration.ofSeconds(11));
        Lease<Res> lease = now(pool.acquire());

        assertThat(lease.get()).isSameAs(res);
        assertThat(validated).as("validated: released 11 s ago on the timer scheduler's clock")
                .containsExactly(res);
    }

    @Test
    void validationIsSkippedWithinTheWindowOnThePoolClock() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().validator(recordingValidator())
                .skipValidationWithin(Duration.ofSeconds(10)));
        idleObjects(pool, 1);

        fixture.advance(Duration.ofSeconds(9));
        now(pool.acquire());

        assertThat(validated).isEmpty();
    }

    @Test
    void validationFailuresAreBoundedPerAcquire() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3).validator(r -> Mono.just(false)));
        idleObjects(pool, 3);

        Lease<Res> lease = now(pool.acquire());

        // three invalid idle objects destroyed, then a new (unvalidated) one
        assertThat(lease.get().id).isEqualTo(4);
        assertThat(pool.metrics().validationFailures()).isEqualTo(3);
    }
}
