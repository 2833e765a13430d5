package dev.reactivepool.jcstress;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Options;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.grading.GradingResult;
import org.openjdk.jcstress.infra.grading.TestGrading;

/**
 * Runs the jcstress tests of this module and fails the build when any of them fails.
 *
 * <p>This launcher runs jcstress in process, reads the result file back, sums the outcome counts
 * of every test over all its configurations, writes them to {@code summary.md} in the results directory, and
 * exits with 1 when a test failed (a FORBIDDEN or unknown outcome, an error, a timeout, a crashed
 * VM), when a test ran no sample, or when no test ran at all.
 *
 * <p>Arguments: {@code mode} ({@code quick} or {@code thorough}), the test regex, the results
 * directory.
 */
public final class JcstressLauncher {

    private JcstressLauncher() {
    }

    /**
     * @param args mode, test regex, results directory
     * @throws Exception when jcstress itself cannot run
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: JcstressLauncher quick|thorough <test-regex> <results-dir>");
            System.exit(2);
        }
        String mode = args[0];
        Path resultsDir = Path.of(args[2]);
        Files.createDirectories(resultsDir);
        List<String> jcArgs = new ArrayList<>(List.of("-t", args[1], "-r", resultsDir.toString()));
        switch (mode) {
            // quick: mixed-mode compilation, one fork, one 1 s iteration per scheduling class and
            // per VM configuration jcstress detects (two on JDK 17: with and without biased
            // locking): about 3 minutes for all tests on 2 cores.
            case "quick" -> jcArgs.addAll(List.of("-sc", "false", "-jvmArgs", "-Xmx512m",
                    "-time", "1000", "-iters", "1", "-f", "1"));
            // thorough: jcstress's default preset: every JVM flag combination it detects, split
            // per-actor compilation (interpreter, C1, C2), several forks; minutes per test.
            case "thorough" -> jcArgs.addAll(List.of("-m", "default"));
            default -> {
                System.err.println("jcstress.mode must be quick or thorough, was: " + mode);
                System.exit(2);
            }
        }
        Options options = new Options(jcArgs.toArray(String[]::new));
        if (!options.parse()) {
            System.exit(2);
        }
        long start = System.nanoTime();
        AssertionError jcstressVerdict = null;
        try {
            new JCStress(options).run();
        } catch (AssertionError e) {
            // jcstress 0.16 reports failed tests by throwing after its own report; the summary
            // below still lists every outcome.
            jcstressVerdict = e;
        }
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;

        InProcessCollector collector = new InProcessCollector();
        DiskReadCollector reader = new DiskReadCollector(options.getResultFile(), collector);
        reader.dump();
        reader.close();
        int failures = summarize(collector.getTestResults(), mode, seconds, resultsDir.resolve("summary.md"));
        if (jcstressVerdict != null) {
            System.out.println(jcstressVerdict.getMessage());
        }
        System.exit(failures == 0 && jcstressVerdict == null ? 0 : 1);
    }

    /** Sums outcomes per test, prints and writes the summary, and returns how many tests failed. */
    private static int summarize(Collection<TestResult> results, String mode, long seconds, Path out) throws IOException {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        Map<String, Map<String, String>> expectations = new TreeMap<>();
        Map<String, List<String>> problems = new TreeMap<>();
        for (TestResult result : results) {
            String test = result.getName().substring(result.getName().lastIndexOf('.') + 1);
            Map<String, Long> perState = counts.computeIfAbsent(test, t -> new TreeMap<>());
            List<String> testProblems = problems.computeIfAbsent(test, t -> new ArrayList<>());
            for (String state : result.getStateKeys()) {
                perState.merge(state, result.getCount(state), Long::sum);
            }
            TestGrading grading = result.grading();
            for (GradingResult g : grading.gradingResults.values()) {
                expectations.computeIfAbsent(test, t -> new TreeMap<>()).put(g.id, g.expect.toString());
            }
            if (result.status() != Status.NORMAL) {
                testProblems.add("status " + result.status() + ": " + String.join(" | ", result.getMessages()));
            }
            if (!grading.isPassed) {
                testProblems.addAll(grading.failureMessages);
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("jcstress mode: ").append(mode).append(", ").append(counts.size()).append(" tests, ")
                .append(seconds).append(" s\n\n");
        md.append("| test | outcome | count | expectation |\n| --- | --- | ---: | --- |\n");
        int failures = 0;
        long total = 0;
        for (Map.Entry<String, Map<String, Long>> test : counts.entrySet()) {
            long samples = 0;
            for (Map.Entry<String, Long> state : test.getValue().entrySet()) {
                String expect = expectations.getOrDefault(test.getKey(), Map.of()).getOrDefault(state.getKey(), "?");
                md.append("| ").append(test.getKey()).append(" | `").append(state.getKey()).append("` | ")
                        .append(state.getValue()).append(" | ").append(expect).append(" |\n");
                samples += state.getValue();
            }
            total += samples;
            List<String> testProblems = problems.get(test.getKey());
            if (samples == 0) {
                testProblems.add("no samples");
            }
            if (!testProblems.isEmpty()) {
                failures++;
            }
        }
        md.append("\nSamples in all: ").append(total).append(". Failed tests: ").append(failures).append(".\n");
        for (Map.Entry<String, List<String>> p : problems.entrySet()) {
            for (String problem : p.getValue()) {
                md.append("\nFAILED ").append(p.getKey()).append(": ").append(problem);
            }
        }
        if (counts.isEmpty()) {
            md.append("\nFAILED: no jcstress test ran.\n");
            failures = 1;
        }
        Files.writeString(out, md, StandardCharsets.UTF_8);
        PrintStream console = System.out;
        console.println();
        console.println("==== reactive-pool jcstress summary (" + out + ") ====");
        console.println(md);
        return failures;
    }
}
