package dev.reactivepool.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.reactivepool.benchmarks.e2e.HttpBurst;
import dev.reactivepool.benchmarks.e2e.HttpSuite;
import dev.reactivepool.benchmarks.e2e.R2dbcSuite;
import dev.reactivepool.benchmarks.micro.IdleHitSubjects;
import dev.reactivepool.benchmarks.micro.MicroRunner;
import dev.reactivepool.benchmarks.report.BurstFigure;
import dev.reactivepool.benchmarks.report.EndToEndFigure;
import dev.reactivepool.benchmarks.report.MachineFacts;
import dev.reactivepool.benchmarks.report.MicroFigure;
import dev.reactivepool.benchmarks.report.ReportWriter;
import dev.reactivepool.benchmarks.report.RunResults;

/**
 * The benchmark runner: runs the JMH microbenchmarks and the end-to-end suites in one go and
 * writes {@code BENCHMARKS.md} with its charts.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar [--quick | --full | --smoke] [--only micro,idle-hit,oversubscribed,r2dbc,http]
 *      [--out DIR] [--prof JMH_PROFILER]...
 * java -jar benchmarks/target/benchmarks.jar --jmh [JMH options]   # plain JMH command line
 * </pre>
 */
public final class BenchmarkMain {

    private static final Set<String> SECTIONS = Set.of("micro", "idle-hit", "oversubscribed", "r2dbc", "http");
    private static final String BUILD = "./mvnw -q -pl benchmarks -am package -DskipTests";

    private BenchmarkMain() {
    }

    /**
     * Runs the benchmarks.
     *
     * @param args see the class comment; {@code --help} prints them
     * @throws Exception if a benchmark or the report fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--jmh")) {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Profile profile = Profile.QUICK;
        Set<String> only = new LinkedHashSet<>(List.of("micro", "r2dbc", "http"));
        Path out = Path.of(".");
        List<String> profilers = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> profile = Profile.QUICK;
                case "--full" -> profile = Profile.FULL;
                case "--smoke" -> profile = Profile.SMOKE;
                case "--only" -> only = sections(value(args, ++i, "--only"));
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "--prof" -> profilers.add(value(args, ++i, "--prof"));
                case "--help", "-h" -> {
                    usage();
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'; try --help");
            }
        }
        System.exit(run(profile, only, out, profilers, args));
    }

    private static int run(Profile profile, Set<String> only, Path out, List<String> profilers, String[] args)
            throws Exception {
        Instant started = Instant.now();
        Map<String, String> machine = MachineFacts.read(Path.of("."));
        Path results = out.resolve("benchmarks").resolve("results");
        Files.createDirectories(results);
        List<MicroFigure> micro = new ArrayList<>();
        List<EndToEndFigure> endToEnd = new ArrayList<>();
        List<BurstFigure> burst = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        MicroRunner runner = new MicroRunner(profile, results, profilers);
        if (only.contains("micro") || only.contains("idle-hit")) {
            List<String> pools = List.of(IdleHitSubjects.NAMES);
            micro.addAll(runner.idleHit(1, pools));
            micro.addAll(runner.idleHit(2, pools));
        } else {
            notes.add("Idle-hit microbenchmarks: not selected (`--only`).");
        }
        if (only.contains("micro") || only.contains("oversubscribed")) {
            micro.addAll(runner.oversubscribed());
        } else {
            notes.add("Oversubscribed microbenchmarks: not selected (`--only`).");
        }
        if (only.contains("r2dbc")) {
            endToEnd.addAll(new R2dbcSuite(profile, List.of(64, 512)).run());
        } else {
            notes.add("R2DBC end-to-end: not selected (`--only`).");
        }
        if (only.contains("http")) {
            endToEnd.addAll(new HttpSuite(profile, HttpSuite.configuredConcurrency()).run());
            burst.addAll(new HttpBurst(profile.burstHigh(), profile.burstLow()).run());
        } else {
            notes.add("HTTP end-to-end: not selected (`--only`).");
        }
        String command = BUILD + " && java -jar benchmarks/target/benchmarks.jar"
                + (args.length == 0 ? "" : " " + String.join(" ", args));
        RunResults run = new RunResults(profile.name(), command, started, Duration.between(started, Instant.now()),
                machine, MachineFacts.loadAverage(), micro, endToEnd, burst, notes);
        Path report = new ReportWriter(out).write(run);
        System.out.println("Wrote " + report.toAbsolutePath().normalize() + " and charts in "
                + out.resolve(ReportWriter.CHART_DIR).toAbsolutePath().normalize());
        return 0;
    }

    private static Set<String> sections(String list) {
        Set<String> chosen = new LinkedHashSet<>(Arrays.asList(list.split(",")));
        for (String s : chosen) {
            if (!SECTIONS.contains(s)) {
                throw new IllegalArgumentException("--only takes a comma-separated list of micro (idle-hit and oversubscribed), idle-hit, "
                        + "oversubscribed, r2dbc, http; got '"
                        + s + "'");
            }
        }
        return chosen;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value; try --help");
        }
        return args[i];
    }

    private static void usage() {
        System.out.println("""
                Usage: java -jar benchmarks/target/benchmarks.jar [options]
                  --quick            the default profile: about 15 minutes on 2 cores
                  --full             longer iterations and more forks: about 50 minutes
                  --smoke            seconds per benchmark; checks that everything runs, figures mean nothing
                  --only LIST        run only some of micro,r2dbc,http (micro = idle-hit,oversubscribed)
                  --out DIR          where BENCHMARKS.md and docs/benchmarks/*.png go (default: .)
                  --prof NAME        add a JMH profiler to the microbenchmarks (for example jfr, stack)
                  --jmh ARGS...      run JMH's own command line instead (for example --jmh IdleHit -prof gc)
                Run from the repository root; raw JMH results go to benchmarks/results/.""");
    }
}
