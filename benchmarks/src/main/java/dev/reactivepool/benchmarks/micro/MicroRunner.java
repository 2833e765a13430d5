package dev.reactivepool.benchmarks.micro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.reactivepool.benchmarks.Profile;
import dev.reactivepool.benchmarks.report.CpuShares;
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
                // reactive-pool's cycle is one large inlined method: on a loaded 2-core machine C2
                // settles it after 5-15 s, while the smaller peers are steady after 2 s
                .warmupIterations(2 * profile.jmhWarmupIterations())
                .threads(threads)
                .forks(threads == 1 ? profile.forksOneThread() : profile.forksTwoThreads());
        return figures("idle-hit", threads, new Runner(options.build()).run());
    }

    /**
     * The oversubscribed benchmark for every pool of {@link OversubscribedSubjects#NAMES} and both
     * steps, with a CPU profile of each case.
     *
     * @return one figure per pool and step, with its CPU shares
     * @throws RunnerException if JMH fails
     * @throws IOException     if a profile cannot be read
     */
    public List<MicroFigure> oversubscribed() throws RunnerException, IOException {
        Path jfrDir = resultsDir.resolve("jfr-oversubscribed");
        clear(jfrDir);
        // each fork runs JFR from its start; its samples count from the first measurement iteration
        List<String> profiling = new ArrayList<>(List.of(CpuProfile.JVM_OPTIONS));
        profiling.add("-D" + CpuProfile.DIR_PROPERTY + "=" + jfrDir.toAbsolutePath());
        ChainedOptionsBuilder options = base(OversubscribedBenchmark.class.getName() + ".acquireStepRelease",
                "oversubscribed", profiling.toArray(String[]::new))
                .param("pool", OversubscribedSubjects.NAMES)
                // the hand-off paths take several seconds to be compiled on a loaded 2-core machine
                .warmupIterations(2 * profile.jmhWarmupIterations())
                .threads(1)
                // its figures depend on thread wake-ups and hand-offs between threads: 3 forks or more
                .forks(profile.forksTwoThreads());
        List<MicroFigure> figures = new ArrayList<>();
        for (MicroFigure f : figures("oversubscribed", 1, new Runner(options.build()).run())) {
            String step = f.benchmark().substring("oversubscribed-".length());
            CpuShares shares = CpuProfile.shares(jfrDir, OversubscribedBenchmark.tag(f.pool(), step),
                    poolPackages(f.pool()));
            figures.add(f.withCpuShares(shares));
        }
        return figures;
    }

    /** The package prefixes of a pool's own code, for attributing CPU samples. */
    static List<String> poolPackages(String pool) {
        return pool.equals("reactor-pool") ? List.of("reactor.pool.") : List.of("dev.reactivepool.");
    }

    private static void clear(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    /** JMH options shared by every benchmark; {@code extraJvmArgs} join the forks' fixed ones (JMH keeps one list). */
    private ChainedOptionsBuilder base(String include, String resultName, String... extraJvmArgs) {
        List<String> jvmArgs = new ArrayList<>(List.of(FORK_JVM_ARGS));
        jvmArgs.addAll(List.of(extraJvmArgs));
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + include.replace(".", "\\.") + "$")
                .warmupIterations(profile.jmhWarmupIterations())
                .warmupTime(TimeValue.milliseconds(profile.jmhIterationTime().toMillis()))
                .measurementIterations(profile.jmhIterations())
                .measurementTime(TimeValue.milliseconds(profile.jmhIterationTime().toMillis()))
                .jvmArgsAppend(jvmArgs.toArray(String[]::new))
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
            String name = step == null ? benchmark : benchmark + "-" + step;
            figures.add(new MicroFigure(name, pool, threads, primary.getScore(), primary.getScoreError(),
                    bytesPerOp(run.getSecondaryResults()), CpuShares.NONE));
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
