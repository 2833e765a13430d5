package dev.reactivepool;

/**
 * A snapshot of a pool's gauges, counters and timers, as returned by {@link Pool#metrics()}.
 *
 * <p>Gauges are read one after another without stopping the pool, so under load they may not
 * add up exactly; counters only grow. The Micrometer binder
 * ({@code dev.reactivepool.micrometer.PoolMeterBinder}) exposes the same figures as meters.
 *
 * <p>Timers and the clock: the acquire latency of an acquire served from the idle set at once is
 * recorded as zero without reading the clock (such acquires take tens of nanoseconds); acquires
 * that wait for an object, its creation or its validation are timed exactly. Hold time is timed
 * for one lease in {@linkplain PoolBuilder#holdTimeSampling(int) holdTimeSampling} and for each
 * object's first lease in each tick of the pool's coarse clock (every lease when leak detection
 * is on).
 *
 * @param name               the pool's name
 * @param maxSize            the configured maximum number of live objects
 * @param maxIdle            the configured maximum number of idle objects
 * @param idle               objects idle now
 * @param leased             objects with at least one lease now
 * @param leases             leases held now; equal to {@code leased} unless
 *                           {@linkplain PoolBuilder#maxLeasesPerObject(int) maxLeasesPerObject} is above 1, when
 *                           several leases may share one object
 * @param pending            acquirers waiting now
 * @param creating           objects being created now
 * @param total              live objects now: idle, leased, being created, validated, reset or destroyed
 * @param acquired           leases handed out since the pool was built
 * @param created            objects created
 * @param destroyed          objects destroyed
 * @param evicted            objects destroyed by the pool itself: idle timeout, max lifetime, max uses, the idle cap,
 *                           {@link Pool#evictAll()} or a {@link Pool#resize(int, int, int) resize} down
 * @param creationFailures   allocator errors and creation timeouts
 * @param validationFailures validations that returned false, failed or timed out
 * @param resetFailures      resets that failed or timed out
 * @param destroyFailures    destroyers that failed or timed out (the object is counted as destroyed anyway)
 * @param acquireTimeouts    acquires that ended with {@link AcquireTimeoutException}
 * @param rejections         acquires refused with {@link PoolExhaustedException}
 * @param leaks              leases reported by leak detection
 * @param reclaimed          leases (and adapters' pooled objects) that Reactor dropped after emission and that
 *                           went back to the pool without their holder (see {@link DroppedLeases})
 * @param acquireLatency     time from subscription to lease emission
 * @param holdTime           time from lease emission to release (sampled)
 */
public record PoolMetrics(
        String name,
        int maxSize,
        int maxIdle,
        int idle,
        int leased,
        int leases,
        int pending,
        int creating,
        int total,
        long acquired,
        long created,
        long destroyed,
        long evicted,
        long creationFailures,
        long validationFailures,
        long resetFailures,
        long destroyFailures,
        long acquireTimeouts,
        long rejections,
        long leaks,
        long reclaimed,
        LatencySummary acquireLatency,
        LatencySummary holdTime) {

    /**
     * A summary of recorded durations, all in nanoseconds. Percentiles come from a log-linear
     * histogram with a relative error below 7%.
     *
     * @param count      how many durations were recorded
     * @param totalNanos their sum
     * @param maxNanos   the largest
     * @param p50Nanos   the median
     * @param p99Nanos   the 99th percentile
     * @param p999Nanos  the 99.9th percentile
     */
    public record LatencySummary(long count, long totalNanos, long maxNanos, long p50Nanos, long p99Nanos,
                                 long p999Nanos) {

        /** @return the mean in nanoseconds, or 0 when nothing was recorded */
        public double meanNanos() {
            return count == 0 ? 0 : (double) totalNanos / count;
        }
    }
}
