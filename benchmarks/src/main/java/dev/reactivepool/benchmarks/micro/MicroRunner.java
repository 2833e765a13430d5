package dev.reactivepool.benchmarks.micro;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import dev.reactivepool.benchmarks.Profile;
import dev.reactivepool.benchmarks.report.MicroFigure;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH microbenchmarks through JMH's Java API, every pool in the same run with the same
 * settings, and turns the results into {@link MicroFigure}s.
 */
public final class MicroRunner {

    /** JVM options of every fork: a fixed heap so that GC sizing does not differ between pools. */
    private static final String[] FORK_JVM_ARGS = {"-Xms1g", "-Xmx1g", "-XX:+UseG1GC"};

    private final Profile profile;
    private final Path resultsDir;
    private final List<String> extraProfilers;

    /**
     * Creates a runner.
     *
     * @param profile        iterations and forks
     * @param resultsDir     where JMH's JSON results go
     * @param extraProfilers JMH profilers to add besides {@code gc} (for example {@code jfr})
     */
    public MicroRunner(Profile profile, Path resultsDir, List<String> extraProfilers) {
        this.profile = profile;
        this.resultsDir = resultsDir;
        this.extraProfilers = List.copyOf(extraProfilers);
    }

    /**
     * Idle-hit acquire+release of every pool at the given thread count.
     *
     * @param threads 1 or 2
     * @param pools   which of {@link IdleHitSubjects#NAMES} to run
     * @return one figure per pool
     * @throws RunnerException if JMH fails
     */
    public List<MicroFigure> idleHit(int threads, List<String> pools) throws RunnerException {
        ChainedOptionsBuilder options = base(IdleHitBenchmark.class.getName() + ".acquireRelease",
                "idle-hit-" + threads + "t")
                .param("pool", pools.toArray(String[]::new))
                .threads(threads)
                .forks(threads == 1 ? profile.forksOneThread() : profile.forksTwoThreads());
        return figures("idle-hit", threads, new Runner(options.build()).run());
    }

    /**
     * The oversubscribed benchmark for reactive-pool and reactor-pool.
     *
     * @return one figure per pool
     * @throws RunnerException if JMH fails
     */
    public List<MicroFigure> oversubscribed() throws RunnerException {
        ChainedOptionsBuilder options = base(OversubscribedBenchmark.class.getName() + ".acquireStepRelease",
                "oversubscribed")
                .threads(1)
                // its figures depend on how fast parked Reactor workers wake up: more forks
                .forks(profile.forksTwoThreads());
        return figures("oversubscribed", 1, new Runner(options.build()).run());
    }

    private ChainedOptionsBuilder base(String include, String resultName) {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + include.replace(".", "\\.") + "$")
                .warmupIterations(profile.jmhWarmupIterations())
                .warmupTime(TimeValue.milliseconds(profile.jmhIterationTime().toMillis()))
                .measurementIterations(profile.jmhIterations())
                .measurementTime(TimeValue.milliseconds(profile.jmhIterationTime().toMillis()))
                .jvmArgsAppend(FORK_JVM_ARGS)
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result(resultsDir.resolve(resultName + ".json").toString());
        for (String profiler : extraProfilers) {
            options.addProfiler(profiler);
        }
        return options;
    }

    private static List<MicroFigure> figures(String benchmark, int threads, Collection<RunResult> results) {
        List<MicroFigure> figures = new ArrayList<>();
        for (RunResult run : results) {
            Result<?> primary = run.getPrimaryResult();
            String pool = run.getParams().getParam("pool");
            String step = run.getParams().getParam("step");
            String name = step == null || step.equals(OversubscribedBenchmark.DEFAULT_STEP) ? benchmark
                    : benchmark + "-" + step;
            figures.add(new MicroFigure(name, pool, threads, primary.getScore(), primary.getScoreError(),
                    bytesPerOp(run.getSecondaryResults())));
        }
        return figures;
    }

    private static double bytesPerOp(Map<String, Result> secondary) {
        for (Map.Entry<String, Result> e : secondary.entrySet()) {
            if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                return e.getValue().getScore();
            }
        }
        return Double.NaN;
    }
}
