package dev.reactivepool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * {@code lostLeaseDetection}: a lease that becomes unreachable while leased goes back to the pool
 * if its object was never taken out, and is reported (not reused) if it was.
 */
class LostLeaseDetectionTest {

    private Pool<Object> pool;

    @AfterEach
    void close() {
        pool.dispose();
    }

    private Pool<Object> pool(boolean detection) {
        pool = Pool.builder(Mono.fromCallable(Object::new)).maxSize(1).lostLeaseDetection(detection).build();
        return pool;
    }

    @Test
    void anUnreachableLeaseWhoseObjectWasNeverTakenOutGoesBack() {
        Pool<Object> pool = pool(true);
        pool.acquire().subscribe(lease -> { }); // received, then lost: never released, never get()

        assertThat(pool.metrics().leased()).isEqualTo(1);
        awaitWithGc(() -> assertThat(pool.metrics().leased()).isZero());
        assertThat(pool.metrics().reclaimed()).isEqualTo(1);
        assertThat(pool.metrics().leaks()).isZero();
        assertThat(pool.acquire().block(Duration.ofSeconds(5))).isNotNull();
    }

    @Test
    void anUnreachableLeaseWhoseObjectWasTakenOutIsReportedNotReused() {
        Pool<Object> pool = pool(true);
        AtomicReference<Object> stillHeld = new AtomicReference<>();
        pool.acquire().subscribe(lease -> stillHeld.set(lease.get())); // the object lives on; the lease is lost

        awaitWithGc(() -> assertThat(pool.metrics().leaks()).isEqualTo(1));
        assertThat(pool.metrics().leased()).as("the object may still be in use: not reused").isEqualTo(1);
        assertThat(pool.metrics().reclaimed()).isZero();
        assertThat(stillHeld.get()).isNotNull();
    }

    @Test
    void aReleasedLeaseThatIsCollectedChangesNothing() {
        Pool<Object> pool = pool(true);
        pool.acquire().flatMap(Lease::release).block(Duration.ofSeconds(5));
        pool.acquire().subscribe(lease -> { }); // the control: this one is lost

        awaitWithGc(() -> assertThat(pool.metrics().reclaimed()).isEqualTo(1));
        assertThat(pool.metrics().acquired()).isEqualTo(2);
        assertThat(pool.metrics().leased()).isZero();
        assertThat(pool.metrics().idle()).isEqualTo(1);
    }

    @Test
    void withoutTheOptionALostLeaseStaysLost() {
        Pool<Object> pool = pool(false);
        pool.acquire().subscribe(lease -> { });
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(pool.metrics().leased()).isEqualTo(1));
        assertThat(pool.metrics().reclaimed()).isZero();
    }

    private static void awaitWithGc(org.awaitility.core.ThrowingRunnable assertion) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            System.gc();
            assertion.run();
        });
    }
}
