package dev.reactivepool;

import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.reactivepool.testsupport.ReactorLogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.test.subscriber.TestSubscriber;

/**
 * DESIGN "Creation failures": an outage of the allocator is visible in the log with two lines, the
 * first failure of the streak at WARN and the recovery at INFO with its duration and the number
 * of failed attempts; never one line per attempt, and never a password from the cause's message.
 */
class OutageLoggingTest {

    private static final String POOL = "orders-db";

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicLong lastAttemptMillis = new AtomicLong();
    private volatile RuntimeException failure;
    private final Pool<Object> pool = Pool.builder(Mono.defer(() -> {
        attempts.incrementAndGet();
        lastAttemptMillis.set(clock.now(TimeUnit.MILLISECONDS));
        RuntimeException f = failure;
        return f != null ? Mono.error(f) : Mono.just(new Object());
    })).name(POOL).maxSize(4).timerScheduler(clock)
            .creationBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)).build();

    @AfterEach
    void close() {
        pool.dispose();
        clock.dispose();
    }

    @Test
    void aStreakOfFailuresLogsOneWarningAndItsRecoveryOneInfoWithTheFigures() {
        try (ReactorLogCapture log = ReactorLogCapture.start()) {
            clock.advanceTimeBy(Duration.ofMillis(5_000));
            long outageStart = failAttempts(5, new IllegalStateException("connection refused: 127.0.0.1:5432"));
            assertThat(lines(log.warnings(), "WARN")).singleElement().asString()
                    .contains("Pool '" + POOL + "'")
                    .contains("java.lang.IllegalStateException: connection refused: 127.0.0.1:5432");
            assertThat(lines(log.infos(), "INFO")).as("no recovery yet").isEmpty();

            long recoveredAt = succeedOnce();

            assertThat(lines(log.warnings(), "WARN")).as("one warning for the whole streak").hasSize(1);
            assertThat(lines(log.infos(), "INFO")).singleElement().asString()
                    .contains("Pool '" + POOL + "'")
                    .contains("outage of " + (recoveredAt - outageStart) + " ms")
                    .contains("5 attempt(s) failed");
            assertThat(recoveredAt - outageStart).as("the outage spans the backoff waits").isPositive();
        }
    }

    @Test
    void aSecondStreakIsLoggedAgainWithItsOwnFigures() {
        try (ReactorLogCapture log = ReactorLogCapture.start()) {
            long firstStart = failAttempts(3, new IllegalStateException("first outage"));
            long firstEnd = succeedOnce();
            long secondStart = failAttempts(2, new IllegalStateException("second outage"));
            long secondEnd = succeedOnce();

            List<String> warnings = lines(log.warnings(), "WARN");
            assertThat(warnings).hasSize(2);
            assertThat(warnings.get(0)).contains("first outage");
            assertThat(warnings.get(1)).contains("second outage");
            List<String> infos = lines(log.infos(), "INFO");
            assertThat(infos).hasSize(2);
            assertThat(infos.get(0)).contains("outage of " + (firstEnd - firstStart) + " ms")
                    .contains("3 attempt(s) failed");
            assertThat(infos.get(1)).contains("outage of " + (secondEnd - secondStart) + " ms")
                    .contains("2 attempt(s) failed");
        }
    }

    @Test
    void successesWithoutAnOutageLogNothing() {
        try (ReactorLogCapture log = ReactorLogCapture.start()) {
            succeedOnce();
            succeedOnce();

            assertThat(lines(log.text(), POOL)).isEmpty();
        }
    }

    @Test
    void passwordsInTheCausesMessageAreMasked() {
        try (ReactorLogCapture log = ReactorLogCapture.start()) {
            failAttempts(1, new IllegalStateException("Cannot connect to r2dbc:postgresql://app:s3cr3t@127.0.0.1:1/db"
                    + "?password=s3cr3t&sslmode=disable; pwd: s3cr3t"));

            assertThat(lines(log.warnings(), "WARN")).singleElement().asString()
                    .doesNotContain("s3cr3t")
                    .endsWith("postgresql://app:****@127.0.0.1:1/db?password=****&sslmode=disable; pwd: ****");
        }
    }

    @Test
    void theCausesAreNamedAndMaskedToo() {
        try (ReactorLogCapture log = ReactorLogCapture.start()) {
            failAttempts(1, new IllegalStateException("Cannot connect",
                    new java.io.IOException("handshake with postgres://app:s3cr3t@127.0.0.1:1/db failed")));

            assertThat(lines(log.warnings(), "WARN")).singleElement().asString()
                    .doesNotContain("s3cr3t")
                    .endsWith("java.lang.IllegalStateException: Cannot connect; caused by java.io.IOException: "
                            + "handshake with postgres://app:****@127.0.0.1:1/db failed");
        }
    }

    /**
     * Makes the next {@code n} creation attempts fail, one acquire each (waiting out the backoff
     * in virtual time), and returns the pool-clock time of the first failed attempt.
     */
    private long failAttempts(int n, RuntimeException cause) {
        failure = cause;
        int before = attempts.get();
        long first = -1;
        for (int i = 0; i < n; i++) {
            TestSubscriber<Lease<Object>> acquirer = subscribe(pool.acquire());
            clock.advanceTimeBy(Duration.ofSeconds(2)); // past any backoff wait (at most 1 s)
            assertThat(acquirer.expectTerminalError()).isSameAs(cause);
            if (first < 0) {
                first = lastAttemptMillis.get();
            }
        }
        assertThat(attempts.get() - before).as("one attempt per acquire").isEqualTo(n);
        return first;
    }

    /**
     * Acquires a new object (waiting out any backoff) and invalidates it, so that the next acquire
     * creates again; returns the pool-clock time of the attempt.
     */
    private long succeedOnce() {
        failure = null;
        int before = attempts.get();
        TestSubscriber<Lease<Object>> acquirer = subscribe(pool.acquire());
        clock.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(acquirer.getReceivedOnNext()).hasSize(1);
        acquirer.getReceivedOnNext().get(0).invalidate().block(Duration.ofSeconds(5));
        assertThat(attempts.get() - before).isEqualTo(1);
        return lastAttemptMillis.get();
    }

    private static List<String> lines(String log, String marker) {
        return log.lines().filter(line -> line.contains(marker) && line.contains(POOL)).toList();
    }
}
