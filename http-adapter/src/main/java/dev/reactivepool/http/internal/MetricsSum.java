package dev.reactivepool.http.internal;

import dev.reactivepool.PoolMetrics;
import dev.reactivepool.PoolMetrics.LatencySummary;

/**
 * Adds up the metrics of several pools that serve the same remote address. Gauges and counters
 * are summed; for latencies, counts and totals are summed and the maximum and percentiles are the
 * largest of the pools' (an upper bound of the combined percentile).
 */
final class MetricsSum {

    private MetricsSum() {
    }

    static PoolMetrics add(PoolMetrics a, PoolMetrics b) {
        return new PoolMetrics(a.name(),
                a.maxSize() + b.maxSize(),
                a.maxIdle() + b.maxIdle(),
                a.idle() + b.idle(),
                a.leased() + b.leased(),
                a.leases() + b.leases(),
                a.pending() + b.pending(),
                a.creating() + b.creating(),
                a.total() + b.total(),
                a.acquired() + b.acquired(),
                a.created() + b.created(),
                a.destroyed() + b.destroyed(),
                a.evicted() + b.evicted(),
                a.creationFailures() + b.creationFailures(),
                a.validationFailures() + b.validationFailures(),
                a.resetFailures() + b.resetFailures(),
                a.destroyFailures() + b.destroyFailures(),
                a.acquireTimeouts() + b.acquireTimeouts(),
                a.rejections() + b.rejections(),
                a.leaks() + b.leaks(),
                a.reclaimed() + b.reclaimed(),
                add(a.acquireLatency(), b.acquireLatency()),
                add(a.holdTime(), b.holdTime()));
    }

    private static LatencySummary add(LatencySummary a, LatencySummary b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return new LatencySummary(a.count() + b.count(), a.totalNanos() + b.totalNanos(),
                Math.max(a.maxNanos(), b.maxNanos()), Math.max(a.p50Nanos(), b.p50Nanos()),
                Math.max(a.p99Nanos(), b.p99Nanos()), Math.max(a.p999Nanos(), b.p999Nanos()));
    }
}
