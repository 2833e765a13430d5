package dev.reactivepool.samples;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.reactivepool.PoolMetrics;
import org.HdrHistogram.Histogram;

/**
 * The figures of one run of the demo's workload.
 *
 * @param label               the run's name
 * @param requests            requests that started in the measured window and succeeded
 * @param measured            the measured window's length
 * @param errors              requests that failed or got a wrong answer, over the whole run
 * @param firstError          the first failure, if any
 * @param latency             latencies of the measured requests, in nanoseconds
 * @param databaseOpened      database connections opened over the whole run, warm-up included
 * @param databasePeak        the most database connections open at once
 * @param httpOpened          upstream HTTP connections opened over the whole run, warm-up included
 * @param httpPeak            the most upstream HTTP connections open at once
 * @param pools               the metrics of the run's pools at its end, by pool name (none without pooling)
 */
public record RunResult(String label, long requests, Duration measured, long errors, Optional<Throwable> firstError,
                        Histogram latency, long databaseOpened, int databasePeak, long httpOpened, int httpPeak,
                        Map<String, PoolMetrics> pools) {

    /** @return the first failure's class and message, if any */
    public Optional<String> firstErrorDescription() {
        return firstError.map(e -> e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }

    /**
     * The same figures with the pools' metrics.
     *
     * @param metrics the metrics of the run's pools, by pool name
     * @return a copy holding them
     */
    public RunResult withPools(Map<String, PoolMetrics> metrics) {
        return new RunResult(label, requests, measured, errors, firstError, latency, databaseOpened, databasePeak,
                httpOpened, httpPeak, Collections.unmodifiableMap(new LinkedHashMap<>(metrics)));
    }

    /** @return measured requests per second */
    public double requestsPerSecond() {
        return requests / (measured.toNanos() / 1e9);
    }

    /** @return the median latency in milliseconds */
    public double p50Millis() {
        return latency.getValueAtPercentile(50) / 1e6;
    }

    /** @return the 99th percentile latency in milliseconds */
    public double p99Millis() {
        return latency.getValueAtPercentile(99) / 1e6;
    }
}
