package dev.reactivepool.benchmarks.report;

/**
 * Where a profiled benchmark's CPU samples went: JFR execution samples attributed to the first
 * frame from the top of the stack that is not JDK code, so that the JDK code a library calls
 * (atomics, queues, locks) counts as that library's.
 *
 * @param samples    execution samples in the recording(s)
 * @param pool       share in the pool under test's packages ({@code dev.reactivepool} outside the
 *                   benchmarks, or {@code reactor.pool})
 * @param reactor    share in Reactor's core ({@code reactor.core})
 * @param netty      share in Netty ({@code io.netty})
 * @param harness    share in the benchmark harness and JMH
 * @param other      the rest: stacks of JDK code alone, and any other library
 */
public record CpuShares(long samples, double pool, double reactor, double netty, double harness, double other) {

    /** No profile was taken. */
    public static final CpuShares NONE = new CpuShares(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /**
     * Whether a profile was taken and had samples.
     *
     * @return true if the shares are known
     */
    public boolean known() {
        return samples > 0;
    }
}
