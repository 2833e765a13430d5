package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.release;
import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.reactivepool.PoolFixture.Res;
import dev.reactivepool.testsupport.ReactorLogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.subscriber.TestSubscriber;

/**
 * DESIGN "Observable": optional leak detection reports, once, each lease held past the threshold
 * (verified through the {@code leaks} counter), and never touches the leased object. The report's
 * stack is the acquirer's, taken when it subscribed: whether the object was idle, handed over by a
 * release on another thread, or created on the driver's thread, and however often the acquire
 * {@code Mono} is reused.
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

        String log = leakReports(Duration.ofSeconds(30));

        assertThat(log).contains("WARN").contains("reports-db").contains("leakDetectionThreshold=5000 ms")
                .contains("leakIsLoggedOnceWithThePoolNameAndTheAcquirersStack");
        assertThat(log.lines().filter(line -> line.contains("WARN"))).as("reported once").hasSize(1);
        assertThat(log).doesNotContain("Res#");
    }

    // ---- the reported stack is the acquirer's, however the object reached it ----

    @Test
    void idleHitIsReportedWithTheAcquirersStack() {
        Pool<Res> pool = poolWithLeakDetection(Duration.ofSeconds(5));
        release(now(pool.acquire()));

        Lease<Res> lease = now(pool.acquire()); // an idle hit, emitted on this thread
        assertThat(lease.timesAcquired()).isEqualTo(2);

        assertThat(leakReports(Duration.ofSeconds(6))).contains("idleHitIsReportedWithTheAcquirersStack");
    }

    @Test
    void idleHitDeliveredOnAnotherThreadIsReportedWithTheAcquirersStack() {
        Scheduler delivery = Schedulers.newSingle("delivery");
        try {
            Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).deliveryScheduler(delivery)
                    .leakDetectionThreshold(Duration.ofSeconds(5)).evictionInterval(Duration.ofSeconds(1)));
            release(pool.acquire().block(Duration.ofSeconds(5)));

            Lease<Res> lease = pool.acquire().block(Duration.ofSeconds(5)); // emitted on "delivery"
            assertThat(lease.timesAcquired()).isEqualTo(2);

            String report = leakReports(Duration.ofSeconds(6));
            assertThat(report).contains("idleHitDeliveredOnAnotherThreadIsReportedWithTheAcquirersStack")
                    .contains("subscribed on thread '" + Thread.currentThread().getName() + "'");
        } finally {
            delivery.dispose();
        }
    }

    @Test
    void leaseHandedOverByAReleaseIsReportedWithTheWaitingAcquirersStack() throws Exception {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1)
                .leakDetectionThreshold(Duration.ofSeconds(5)).evictionInterval(Duration.ofSeconds(1)));
        Lease<Res> holder = now(pool.acquire());
        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire()); // waits: the only object is leased

        releaseOnADriverThread(holder); // hands the object to the waiter on that thread

        assertThat(waiter.getReceivedOnNext()).hasSize(1);
        String report = leakReports(Duration.ofSeconds(6));
        assertThat(report).contains("leaseHandedOverByAReleaseIsReportedWithTheWaitingAcquirersStack")
                .doesNotContain("releaseOnADriverThread");
        assertThat(pool.metrics().leaks()).isEqualTo(1);
    }

    @Test
    void newObjectIsReportedWithTheAcquirersStack() throws Exception {
        Pool<Res> pool = poolWithLeakDetection(Duration.ofSeconds(5));
        fixture.holdCreations();
        TestSubscriber<Lease<Res>> acquirer = subscribe(pool.acquire()); // waits for a new object

        completeCreationOnADriverThread(); // the allocator emits, and the lease is emitted, there

        assertThat(acquirer.getReceivedOnNext()).hasSize(1);
        assertThat(leakReports(Duration.ofSeconds(6))).contains("newObjectIsReportedWithTheAcquirersStack")
                .doesNotContain("completeCreationOnADriverThread");
    }

    @Test
    void anAcquireMonoAssembledOnceIsReportedWithTheStackOfEachSubscriber() {
        Pool<Res> pool = poolWithLeakDetection(Duration.ofSeconds(5));
        Mono<Lease<Res>> assembledOnce = assembleOnce(pool); // as an adapter does once, when built

        now(assembledOnce);
        alsoSubscribedHere(assembledOnce);

        String report = leakReports(Duration.ofSeconds(6));
        assertThat(report).contains("anAcquireMonoAssembledOnceIsReportedWithTheStackOfEachSubscriber")
                .contains("alsoSubscribedHere").doesNotContain("assembleOnce(");
        assertThat(pool.metrics().leaks()).isEqualTo(2);
    }

    @Test
    void aChainSubscribedByAFrameworkIsReportedWithItsStepsAndCheckpoint() throws Exception {
        Pool<Res> pool = poolWithLeakDetection(Duration.ofSeconds(5));
        Mono<Lease<Res>> response = ordersHandler(pool); // a handler returns its chain; a framework subscribes later

        onADriverThread(() -> response.subscribe());

        assertThat(pool.metrics().leased()).isEqualTo(1);
        assertThat(leakReports(Duration.ofSeconds(6)))
                .contains("subscribed on thread 'driver-event-loop' by the chain: map <- checkpoint(\"orders-handler\")");
    }

    @Test
    void withReactorsDebugModeTheStepsNameTheLineThatAssembledTheChain() throws Exception {
        Pool<Res> pool = poolWithLeakDetection(Duration.ofSeconds(5));
        Hooks.onOperatorDebug();
        try {
            Mono<Lease<Res>> response = ordersHandler(pool);

            onADriverThread(() -> response.subscribe());
        } finally {
            Hooks.resetOnOperatorDebug();
        }

        assertThat(pool.metrics().leased()).isEqualTo(1);
        assertThat(leakReports(Duration.ofSeconds(6))).contains("LeakDetectionTest.ordersHandler(LeakDetectionTest.java:");
    }

    private static Mono<Lease<Res>> ordersHandler(Pool<Res> pool) {
        return pool.acquire().map(lease -> lease).checkpoint("orders-handler");
    }

    private static Mono<Lease<Res>> assembleOnce(Pool<Res> pool) {
        return pool.acquire().map(lease -> lease);
    }

    private static void alsoSubscribedHere(Mono<Lease<Res>> acquire) {
        now(acquire);
    }

    /** Runs the eviction runs due in {@code elapsed} on this thread and returns what they logged at WARN. */
    private String leakReports(Duration elapsed) {
        try (ReactorLogCapture log = ReactorLogCapture.start()) {
            fixture.advance(elapsed);
            return log.warnings();
        }
    }

    /** Releases on a thread of its own, as a driver's event loop would, and waits for it. */
    private static void releaseOnADriverThread(Lease<Res> lease) throws Exception {
        onADriverThread(() -> lease.release().subscribe());
    }

    private void completeCreationOnADriverThread() throws Exception {
        onADriverThread(fixture::completeCreation);
    }

    private static void onADriverThread(Runnable task) throws Exception {
        ExecutorService driver = Executors.newSingleThreadExecutor(r -> new Thread(r, "driver-event-loop"));
        try {
            driver.submit(task).get(5, TimeUnit.SECONDS);
        } finally {
            driver.shutdown();
        }
    }
}
