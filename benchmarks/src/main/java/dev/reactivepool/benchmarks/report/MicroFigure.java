package dev.reactivepool.benchmarks.report;

/**
 * One JMH result: a pool in a benchmark at a thread count.
 *
 * @param benchmark   {@code idle-hit}, or {@code oversubscribed-} and the step
 * @param pool        the pool under test
 * @param threads     benchmark threads
 * @param opsPerSec   mean throughput in operations per second
 * @param error       the 99.9% confidence half-interval of {@code opsPerSec}
 * @param bytesPerOp  bytes allocated per operation ({@code -prof gc}), NaN when not measured
 * @param cpuShares   where the CPU samples of a profile went, {@link CpuShares#NONE} if not profiled
 */
public record MicroFigure(String benchmark, String pool, int threads, double opsPerSec, double error,
                          double bytesPerOp, CpuShares cpuShares) {

    /**
     * A figure without a profile.
     *
     * @param benchmark  see the record
     * @param pool       see the record
     * @param threads    see the record
     * @param opsPerSec  see the record
     * @param error      see the record
     * @param bytesPerOp see the record
     */
    public MicroFigure(String benchmark, String pool, int threads, double opsPerSec, double error, double bytesPerOp) {
        this(benchmark, pool, threads, opsPerSec, error, bytesPerOp, CpuShares.NONE);
    }

    /**
     * This figure with the shares of its profile.
     *
     * @param shares the profile's shares
     * @return a copy with {@code shares}
     */
    public MicroFigure withCpuShares(CpuShares shares) {
        return new MicroFigure(benchmark, pool, threads, opsPerSec, error, bytesPerOp, shares);
    }

    /**
     * The mean time per operation and thread, in nanoseconds.
     *
     * @return {@code threads / opsPerSec} in nanoseconds
     */
    public double nanosPerOp() {
        return threads * 1e9 / opsPerSec;
    }
}
