package dev.reactivepool.samples;

/**
 * The outcome of the demo: one run without pooling, one through reactive-pool.
 *
 * @param baseline the run opening a new connection per request
 * @param pooled   the run through reactive-pool
 */
public record DemoReport(RunResult baseline, RunResult pooled) {

    /** @return the side-by-side table */
    public String table() {
        return ResultTable.format(baseline, pooled);
    }

    /** @return whether any request of either run failed */
    public boolean hasErrors() {
        return baseline.errors() > 0 || pooled.errors() > 0;
    }
}
