package dev.reactivepool.benchmarks.report;

/**
 * One end-to-end case: a subject (pool or no pool) in a scenario at a concurrency.
 *
 * @param suite              {@code r2dbc} or {@code http}
 * @param scenario           what is run, for example {@code SELECT 1}
 * @param concurrency        operations in flight
 * @param subject            the pool or the no-pool baseline
 * @param perSecond          completed operations per second in the measured window
 * @param p50Micros          median latency in microseconds
 * @param p99Micros          99th percentile latency in microseconds
 * @param p999Micros         99.9th percentile latency in microseconds
 * @param operations         operations completed in the measured window
 * @param errors             operations that failed (warmup and measurement)
 * @param connectionsOpened  connections the server accepted during the case, warmup included
 * @param cpuMicrosPerOp     CPU time of the benchmark's JVM per completed operation in the measured
 *                           window, in microseconds (NaN if unknown): for R2DBC the client alone
 *                           (PostgreSQL runs in other processes), for HTTP client and server
 */
public record EndToEndFigure(String suite, String scenario, int concurrency, String subject, double perSecond,
                             double p50Micros, double p99Micros, double p999Micros, long operations, long errors,
                             long connectionsOpened, double cpuMicrosPerOp) {
}
