package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.release;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DESIGN "Observable": optional leak detection reports, once, each lease held past the threshold
 * (verified through the {@code leaks} counter), and never touches the leased object.
 */
class LeakDetectionTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    private Pool<Res> poolWithLeakDetection(Duration threshold) {
        return fixture.build(fixture.virtualTimeBuilder().maxSize(3)
                .leakDetectionThreshold(threshold).evictionInterval(Duration.ofSeconds(1)));
    }

    @Test
    void leaseHeldPastTheThresholdIsReportedOnce() {
        Pool<Res> pool = poolWithLeakDetection(Duration.ofSeconds(5));
        Lease<Res> leaked = now(pool.acquire());

        fixture.advance(Duration.ofSeconds(4));
        assertThat(pool.metrics().leaks()).isZero();

        fixture.advance(Duration.ofSeconds(2));
        assertThat(pool.metrics().leaks()).isEqualTo(1);

        fixture.advance(Duration.ofSeconds(60));
        assertThat(pool.metrics().leaks()).as("reported once, not at every eviction run").isEqualTo(1);
        assertThat(leaked.get().destroyed).as("a leak is reported, the object is not taken away").isFalse();
        assertThat(leaked.isReleased()).isFalse();
    }

    @Test
    void eachLeakedLeaseIsReported() {
        Pool<Res> pool = poolWithLeakDetection(Duration.ofSeconds(5));
        now(pool.acquire());
        fixture.advance(Duration.ofSeconds(3));
        now(pool.acquire());

        fixture.advance(Duration.ofSeconds(3));
        assertThat(pool.metrics().leaks()).isEqualTo(1);
        fixture.advance(Duration.ofSeconds(3));
        assertThat(pool.metrics().leaks()).isEqualTo(2);
    }

    @Test
    void leasesReturnedInTimeAreNotReported() {
        Pool<Res> pool = poolWithLeakDetection(Duration.ofSeconds(5));

        for (int i = 0; i < 10; i++) {
            Lease<Res> lease = now(pool.acquire());
            fixture.advance(Duration.ofSeconds(3));
            release(lease);
        }

        assertThat(pool.metrics().leaks()).isZero();
    }

    @Test
    void aNewLeaseOfAPreviouslyLeakedObjectIsReportedAgain() {
        Pool<Res> pool = poolWithLeakDetection(Duration.ofSeconds(5));
        Lease<Res> first = now(pool.acquire());
        fixture.advance(Duration.ofSeconds(7));
        assertThat(pool.metrics().leaks()).isEqualTo(1);
        release(first);

        Lease<Res> second = now(pool.acquire());
        assertThat(second.get()).isSameAs(fixture.all.get(0));
        fixture.advance(Duration.ofSeconds(7));

        assertThat(pool.metrics().leaks()).isEqualTo(2);
    }

    @Test
    void noLeakDetectionByDefault() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder());
        now(pool.acquire());

        fixture.advance(Duration.ofHours(1));

        assertThat(pool.metrics().leaks()).isZero();
    }

    @Test
    void acquiredAtIsExactWhenLeakDetectionIsOn() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder()
                .leakDetectionThreshold(Duration.ofSeconds(5)).evictionInterval(Duration.ofSeconds(10)));
        fixture.advance(Duration.ofMillis(12_345));

        Lease<Res> lease = now(pool.acquire());

        assertThat(lease.acquiredAt()).isEqualTo(Instant.ofEpochMilli(12_345));
    }

    @Test
    void leakedLeaseReturnedLateGoesBackToThePool() {
        Pool<Res> pool = poolWithLeakDetection(Duration.ofSeconds(5));
        Lease<Res> lease = now(pool.acquire());
        fixture.advance(Duration.ofSeconds(30));

        release(lease);

        assertThat(pool.metrics().idle()).isEqualTo(1);
        assertThat(pool.metrics().leased()).isZero();
    }

    @Test
    void leaseAcquiredAtTimeZeroIsReported() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder()
                .leakDetectionThreshold(Duration.ofSeconds(5)).evictionInterval(Duration.ofSeconds(1)));
        now(pool.acquire()); // the virtual clock reads 0 ms

        fixture.advance(Duration.ofSeconds(6));

        assertThat(pool.metrics().leaks()).isEqualTo(1);
    }

    @Test
    void leakIsLoggedOnceWithThePoolNameAndTheAcquirersStack() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().name("reports-db")
                .leakDetectionThreshold(Duration.ofSeconds(5)).evictionInterval(Duration.ofSeconds(1)));
        now(pool.acquire()); // acquired here: this method must appear in the reported stack
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream originalErr = System.err;
        // slf4j-simple writes to the System.err of the moment; virtual time runs the detection on this thread
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            fixture.advance(Duration.ofSeconds(30));
        } finally {
            System.setErr(originalErr);
        }

        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(log).contains("WARN").contains("reports-db").contains("leakDetectionThreshold=5000 ms")
                .contains("leakIsLoggedOnceWithThePoolNameAndTheAcquirersStack");
        assertThat(log.lines().filter(line -> line.contains("WARN"))).as("reported once").hasSize(1);
        assertThat(log).doesNotContain("Res#");
    }
}
