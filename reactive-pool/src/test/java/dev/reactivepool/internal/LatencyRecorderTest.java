package dev.reactivepool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;

import dev.reactivepool.PoolMetrics.LatencySummary;
import org.junit.jupiter.api.Test;

/**
 * The histogram behind the acquire-latency and hold-time metrics: counts and totals are exact,
 * percentiles are within the documented relative error (below 7%), and idle hits counted as zero
 * pull the percentiles down as they should; a percentile is never above the maximum.
 */
class LatencyRecorderTest {

    private static long exactPercentile(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    @Test
    void emptyRecorderSummarisesToZeros() {
        LatencySummary s = new LatencyRecorder().summary(0);

        assertThat(s.count()).isZero();
        assertThat(s.p50Nanos()).isZero();
        assertThat(s.p99Nanos()).isZero();
        assertThat(s.meanNanos()).isZero();
    }

    @Test
    void percentilesAreWithinTheDocumentedRelativeError() {
        SplittableRandom random = new SplittableRandom(42);
        for (int run = 0; run < 20; run++) {
            LatencyRecorder recorder = new LatencyRecorder();
            long[] values = new long[1000 + run * 100];
            for (int i = 0; i < values.length; i++) {
                // log-uniform from 1 ns to about 10 s
                values[i] = (long) Math.pow(10, random.nextDouble() * 10);
                recorder.record(values[i]);
            }
            long[] sorted = values.clone();
            Arrays.sort(sorted);

            LatencySummary s = recorder.summary(0);

            assertThat(s.count()).isEqualTo(values.length);
            assertThat(s.totalNanos()).isEqualTo(Arrays.stream(values).sum());
            assertThat(s.maxNanos()).isEqualTo(sorted[sorted.length - 1]);
            assertWithin7Percent(s.p50Nanos(), exactPercentile(sorted, 0.50));
            assertWithin7Percent(s.p99Nanos(), exactPercentile(sorted, 0.99));
            assertWithin7Percent(s.p999Nanos(), exactPercentile(sorted, 0.999));
            assertThat(s.p50Nanos()).isLessThanOrEqualTo(s.p99Nanos());
            assertThat(s.p99Nanos()).isLessThanOrEqualTo(s.p999Nanos());
        }
    }

    private static void assertWithin7Percent(long reported, long exact) {
        assertThat((double) reported).isBetween(exact * 0.93, exact * 1.07 + 1);
    }

    @Test
    void idleHitsCountedAsZeroPullThePercentilesDown() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int i = 0; i < 10; i++) {
            recorder.record(1_000_000);
        }

        LatencySummary s = recorder.summary(990);

        assertThat(s.count()).isEqualTo(1000);
        assertThat(s.p50Nanos()).isZero();
        assertThat(s.p99Nanos()).isZero();
        assertWithin7Percent(s.p999Nanos(), 1_000_000);
        assertThat(s.meanNanos()).isEqualTo(10_000.0);
    }

    @Test
    void negativeDurationsAreRecordedAsZero() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(-5);

        assertThat(recorder.summary(0).totalNanos()).isZero();
        assertThat(recorder.summary(0).maxNanos()).isZero();
    }

    @Test
    void extremeValuesDoNotBreakTheHistogram() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(0);
        recorder.record(Long.MAX_VALUE);

        LatencySummary s = recorder.summary(0);

        assertThat(s.count()).isEqualTo(2);
        assertThat(s.maxNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(s.p999Nanos()).isPositive();
    }

    @Test
    void percentilesNeverExceedTheMaximum() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(1000); // its bucket spans 992..1023

        LatencySummary s = recorder.summary(0);

        assertThat(s.p50Nanos()).isLessThanOrEqualTo(s.maxNanos());
        assertThat(s.p99Nanos()).isLessThanOrEqualTo(s.maxNanos());
        assertThat(s.p999Nanos()).isLessThanOrEqualTo(s.maxNanos());
    }
}
