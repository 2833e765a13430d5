package dev.reactivepool.benchmarks.micro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import dev.reactivepool.benchmarks.report.CpuShares;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * The CPU profile of a benchmark fork, and the attribution of its samples to the pool, Reactor,
 * Netty and the harness ({@link CpuShares}).
 *
 * <p>The runner starts JFR with the fork's JVM ({@code -XX:StartFlightRecording}, default
 * settings: a Java execution sample every 20 ms) and names the directory for the recordings in the
 * system property {@value #DIR_PROPERTY}. Starting JFR inside a running fork instead deoptimised
 * the hot code and cut the measured throughput by an order of magnitude for several iterations.
 * The benchmark marks the start of its first measurement iteration and, at the end of the trial,
 * dumps the recording as {@code <tag>.<pid>.<mark in epoch ms>.jfr}; only the samples taken after
 * the mark count, so warmup and JIT compilation stay out of the shares.
 */
public final class CpuProfile {

    /** The system property naming the directory for the recordings; no property, no profile. */
    public static final String DIR_PROPERTY = "bench.jfr.dir";

    /**
     * The JVM options that start JFR with a fork, before its warmup; with debug information at
     * every instruction, not only at safepoints, so that a sample is charged to the method (and
     * line) that ran rather than to the nearest safepoint, often in another library.
     */
    public static final String[] JVM_OPTIONS = {"-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints",
            "-XX:StartFlightRecording=settings=default"};

    private static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";

    private CpuProfile() {
    }

    /**
     * Whether this fork was asked for a profile.
     *
     * @return true if {@value #DIR_PROPERTY} is set
     */
    static boolean requested() {
        String dir = System.getProperty(DIR_PROPERTY);
        return dir != null && !dir.isBlank();
    }

    /**
     * Writes the samples JFR took in this JVM since {@code measuredFrom}, if a profile was asked for
     * and JFR is recording.
     *
     * @param tag          names the benchmark case, for example {@code reactor-pool_event-loop}
     * @param measuredFrom the start of the first measurement iteration
     * @return the file written, or null if none
     * @throws IOException if the recording cannot be written
     */
    static Path dumpIfRequested(String tag, Instant measuredFrom) throws IOException {
        if (!requested()) {
            return null;
        }
        return dump(Path.of(System.getProperty(DIR_PROPERTY)), tag, measuredFrom);
    }

    static Path dump(Path dir, String tag, Instant measuredFrom) throws IOException {
        for (Recording r : FlightRecorder.getFlightRecorder().getRecordings()) {
            if (r.getState() == RecordingState.RUNNING) {
                Files.createDirectories(dir);
                Path file = dir.resolve(tag + "." + ProcessHandle.current().pid() + "."
                        + measuredFrom.toEpochMilli() + ".jfr");
                r.dump(file);
                return file;
            }
        }
        return null;
    }

    /**
     * The shares of every recording in {@code dir} whose name starts with {@code tag + "."},
     * counted together.
     *
     * @param dir           where the forks wrote their recordings
     * @param tag           the benchmark case
     * @param poolPackages  package prefixes of the pool under test, for example {@code reactor.pool.}
     * @return the shares, or {@link CpuShares#NONE} if there is no recording
     * @throws IOException if a recording cannot be read
     */
    public static CpuShares shares(Path dir, String tag, List<String> poolPackages) throws IOException {
        if (!Files.isDirectory(dir)) {
            return CpuShares.NONE;
        }
        long[] counts = new long[Category.values().length];
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith(tag + ".")
                    && p.getFileName().toString().endsWith(".jfr")).sorted().toList()) {
                Instant measuredFrom = measuredFrom(f);
                for (RecordedEvent e : RecordingFile.readAllEvents(f)) {
                    if (e.getEventType().getName().equals(EXECUTION_SAMPLE) && e.getStackTrace() != null
                            && !e.getStartTime().isBefore(measuredFrom)) {
                        counts[attribute(e.getStackTrace().getFrames(), poolPackages).ordinal()]++;
                    }
                }
            }
        }
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0) {
            return CpuShares.NONE;
        }
        double n = total;
        return new CpuShares(total, counts[Category.POOL.ordinal()] / n, counts[Category.REACTOR.ordinal()] / n,
                counts[Category.NETTY.ordinal()] / n, counts[Category.HARNESS.ordinal()] / n,
                counts[Category.OTHER.ordinal()] / n);
    }

    /** The mark in a recording's name ({@code <tag>.<pid>.<mark>.jfr}). */
    private static Instant measuredFrom(Path file) {
        String[] parts = file.getFileName().toString().split("\\.");
        return Instant.ofEpochMilli(Long.parseLong(parts[parts.length - 2]));
    }

    /** Who a sample is charged to. */
    enum Category { POOL, REACTOR, NETTY, HARNESS, OTHER }

    /**
     * Charges a sample to the first frame from the top that is not JDK code.
     *
     * @param frames       the stack, top first
     * @param poolPackages package prefixes of the pool under test
     * @return the category
     */
    static Category attribute(List<RecordedFrame> frames, List<String> poolPackages) {
        for (RecordedFrame frame : frames) {
            if (frame.getMethod() == null || frame.getMethod().getType() == null) {
                continue;
            }
            String type = frame.getMethod().getType().getName();
            if (isJdk(type)) {
                continue;
            }
            return categoryOf(type, poolPackages);
        }
        return Category.OTHER;
    }

    static Category categoryOf(String type, List<String> poolPackages) {
        if (type.startsWith("dev.reactivepool.benchmarks.") || type.startsWith("org.openjdk.jmh.")) {
            return Category.HARNESS;
        }
        for (String p : poolPackages) {
            if (type.startsWith(p)) {
                return Category.POOL;
            }
        }
        if (type.startsWith("reactor.core.")) {
            return Category.REACTOR;
        }
        if (type.startsWith("io.netty.")) {
            return Category.NETTY;
        }
        return Category.OTHER;
    }

    private static boolean isJdk(String type) {
        return type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")
                || type.startsWith("com.sun.");
    }
}
