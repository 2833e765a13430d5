package dev.reactivepool.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

import dev.reactivepool.PoolMetrics.LatencySummary;

/**
 * A lock-free log-linear histogram of durations in nanoseconds: 16 linear sub-buckets per power
 * of two, so any recorded value is known within 1/16 (6.25%). Recording is wait-free (one
 * {@code getAndIncrement} on a bucket plus striped counters); reading walks the buckets without
 * stopping writers, so a snapshot taken under load is approximate, never torn.
 */
final class LatencyRecorder {

    private static final int SUB_BUCKET_BITS = 4;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    private static final int BUCKETS = (64 - SUB_BUCKET_BITS) * SUB_BUCKETS + SUB_BUCKETS;

    private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);
    private final LongAdder count = new LongAdder();
    private final LongAdder total = new LongAdder();
    private final AtomicLong max = new AtomicLong();

    void record(long nanos) {
        long v = Math.max(0, nanos);
        buckets.getAndIncrement(index(v));
        count.increment();
        total.add(v);
        long m;
        while (v > (m = max.get())) {
            if (max.compareAndSet(m, v)) {
                break;
            }
        }
    }

    static int index(long v) {
        if (v < SUB_BUCKETS) {
            return (int) v;
        }
        int msb = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) (v >>> (msb - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1);
        return (msb - SUB_BUCKET_BITS + 1) * SUB_BUCKETS + sub;
    }

    /** The upper bound of the values that fall into bucket {@code index}. */
    static long upperBound(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int msb = index / SUB_BUCKETS + SUB_BUCKET_BITS - 1;
        long sub = index % SUB_BUCKETS;
        long lower = (1L << msb) | (sub << (msb - SUB_BUCKET_BITS));
        return lower + (1L << (msb - SUB_BUCKET_BITS)) - 1;
    }

    long count() {
        return count.sum();
    }

    /**
     * Summarises the recorded values plus {@code extraZeros} values of zero that were counted
     * elsewhere without reading the clock (idle hits).
     */
    LatencySummary summary(long extraZeros) {
        long zeros = Math.max(0, extraZeros);
        long[] snapshot = new long[BUCKETS];
        long n = zeros;
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = buckets.get(i);
            n += snapshot[i];
        }
        snapshot[0] += zeros;
        long m = max.get();
        // A bucket's upper bound may exceed the largest value recorded in it: never report more than the max.
        return new LatencySummary(n, total.sum(), m, Math.min(m, percentile(snapshot, n, 0.50)),
                Math.min(m, percentile(snapshot, n, 0.99)), Math.min(m, percentile(snapshot, n, 0.999)));
    }

    private static long percentile(long[] snapshot, long n, double q) {
        if (n == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * n);
        long seen = 0;
        for (int i = 0; i < snapshot.length; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return upperBound(i);
            }
        }
        return upperBound(snapshot.length - 1);
    }
}
