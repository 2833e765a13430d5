package dev.reactivepool.internal;

import java.util.concurrent.atomic.LongAdder;

import dev.reactivepool.PoolMetrics;

/**
 * The pool's event counters and latency recorders, and the {@link PoolMetrics} snapshot built
 * from them. Every counter is a {@link LongAdder}: the hot paths only add (striped, no CAS loop
 * on a shared cell), and only {@code metrics()} sums.
 */
final class PoolCounters {

    final LongAdder acquired = new LongAdder();
    final LongAdder returned = new LongAdder();
    final LongAdder created = new LongAdder();
    final LongAdder destroyed = new LongAdder();
    final LongAdder evicted = new LongAdder();
    final LongAdder creationFailures = new LongAdder();
    final LongAdder validationFailures = new LongAdder();
    final LongAdder resetFailures = new LongAdder();
    final LongAdder destroyFailures = new LongAdder();
    final LongAdder acquireTimeouts = new LongAdder();
    final LongAdder rejections = new LongAdder();
    final LongAdder leaks = new LongAdder();
    final LongAdder reclaimed = new LongAdder();
    final LatencyRecorder acquireLatency = new LatencyRecorder();
    final LatencyRecorder holdTime = new LatencyRecorder();

    /** Leases started and not yet ended (approximate under concurrent updates, never negative). */
    int leased() {
        return (int) Math.max(0, acquired.sum() - returned.sum());
    }

    /**
     * A snapshot of these counters with the pool's current figures. Idle-hit acquires record no
     * latency: they count as zero-latency samples.
     */
    PoolMetrics snapshot(String name, int maxSize, int maxIdle, int idle, int pending, int creating, int total) {
        return snapshot(name, maxSize, maxIdle, idle, pending, creating, total, -1);
    }

    /**
     * As above, with the objects that have a lease counted apart from the leases (shared leases);
     * {@code objectsLeased} -1: one lease per object, the same figure.
     */
    PoolMetrics snapshot(String name, int maxSize, int maxIdle, int idle, int pending, int creating, int total,
                         int objectsLeased) {
        long acquiredSoFar = acquired.sum();
        int leases = leased();
        return new PoolMetrics(name, maxSize, maxIdle, idle, objectsLeased < 0 ? leases : Math.min(objectsLeased, leases),
                leases, pending, creating, total, acquiredSoFar,
                created.sum(), destroyed.sum(), evicted.sum(), creationFailures.sum(), validationFailures.sum(),
                resetFailures.sum(), destroyFailures.sum(), acquireTimeouts.sum(), rejections.sum(), leaks.sum(),
                reclaimed.sum(), acquireLatency.summary(acquiredSoFar - acquireLatency.count()), holdTime.summary(0));
    }
}
