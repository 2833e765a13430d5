package dev.reactivepool.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ResultTableTest {

    @Test
    void theTablePutsBothRunsSideBySide() {
        RunResult baseline = run("new connection per request", 4_120, 8_000_000L, 4_600, 32);
        RunResult pooled = run("reactive-pool (10 + 10)", 52_340, 1_500_000L, 10, 10);

        String table = ResultTable.format(baseline, pooled);

        assertThat(table.lines()).containsExactly(
                "                                      | new connection per request | reactive-pool (10 + 10)",
                "--------------------------------------+----------------------------+------------------------",
                "requests/s                            |                        412 |                   5,234",
                "latency p50                           |                    8.00 ms |                 1.50 ms",
                "latency p99                           |                    8.00 ms |                 1.50 ms",
                "DB connections opened                 |                      4,600 |                      10",
                "DB connections in use, most at once   |                         32 |                      10",
                "HTTP connections opened               |                      4,600 |                      10",
                "HTTP connections in use, most at once |                         32 |                      10",
                "failed requests                       |                          0 |                       0");
        assertThat(ResultTable.summary(baseline, pooled).lines()).containsExactly(
                "reactive-pool: 12.7x the requests per second, with 10 + 10 connections opened",
                "instead of 4,600 + 4,600 (database + HTTP, warm-up included).");
    }

    private static RunResult run(String label, long requests, long latencyNanos, long opened, int peak) {
        Histogram latency = new Histogram(3);
        latency.recordValueWithCount(latencyNanos, requests);
        return new RunResult(label, requests, Duration.ofSeconds(10), 0, Optional.empty(), latency, opened, peak,
                opened, peak, Map.of());
    }
}
