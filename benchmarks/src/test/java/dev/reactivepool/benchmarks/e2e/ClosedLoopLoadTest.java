package dev.reactivepool.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

class ClosedLoopLoadTest {

    @Test
    void keepsTheConcurrencyAndCountsOnlyTheMeasuredWindow() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        ClosedLoopLoad load = new ClosedLoopLoad(() -> Mono.fromCallable(() -> {
                    started.incrementAndGet();
                    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    return 1;
                })
                .delayElement(Duration.ofMillis(1), Schedulers.parallel())
                .doOnTerminate(inFlight::decrementAndGet), 8);

        ClosedLoopLoad.Outcome outcome = load.run(Duration.ofMillis(100), Duration.ofMillis(300));

        assertThat(outcome.errors()).isZero();
        assertThat(maxInFlight.get()).isEqualTo(8);
        assertThat(inFlight.get()).as("operations in flight finish before run returns").isZero();
        long measured = outcome.latencies().getTotalCount();
        assertThat(measured).isPositive().isLessThan(started.get());
        assertThat(outcome.latencies().getValueAtPercentile(50)).isGreaterThanOrEqualTo(Duration.ofMillis(1).toNanos());
        assertThat(outcome.window()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(outcome.perSecond()).isPositive();
        assertThat(outcome.cpuNanos()).as("this JVM's CPU time in the window").isPositive();
        assertThat(outcome.cpuMicrosPerOperation()).isPositive();
        assertThat(outcome.allocatedBytes()).as("bytes allocated in the window by the threads alive throughout")
                .isPositive();
        assertThat(outcome.bytesPerOperation()).isPositive();
    }

    @Test
    void countsFailuresWithoutStoppingTheLoad() throws Exception {
        AtomicInteger n = new AtomicInteger();
        ClosedLoopLoad load = new ClosedLoopLoad(() -> Mono.fromCallable(() -> {
            if (n.incrementAndGet() % 2 == 0) {
                throw new IllegalStateException("every second operation fails");
            }
            return 1;
        }).subscribeOn(Schedulers.parallel()), 4);

        ClosedLoopLoad.Outcome outcome = load.run(Duration.ofMillis(50), Duration.ofMillis(150));

        assertThat(outcome.errors()).isPositive();
        assertThat(outcome.firstError()).hasMessage("every second operation fails");
        assertThat(outcome.latencies().getTotalCount()).isPositive();
    }
}
