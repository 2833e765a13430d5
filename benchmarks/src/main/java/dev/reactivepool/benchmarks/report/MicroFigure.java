package dev.reactivepool.benchmarks.report;

/**
 * One JMH result: a pool in a benchmark at a thread count.
 *
 * @param benchmark   {@code idle-hit} or {@code oversubscribed}
 * @param pool        the pool under test
 * @param threads     benchmark threads
 * @param opsPerSec   mean throughput in operations per second
 * @param error       the 99.9% confidence half-interval of {@code opsPerSec}
 * @param bytesPerOp  bytes allocated per operation ({@code -prof gc}), NaN when not measured
 */
public record MicroFigure(String benchmark, String pool, int threads, double opsPerSec, double error,
                          double bytesPerOp) {

    /**
     * The mean time per operation and thread, in nanoseconds.
     *
     * @return {@code threads / opsPerSec} in nanoseconds
     */
    public double nanosPerOp() {
        return threads * 1e9 / opsPerSec;
    }
}
