package dev.reactivepool.benchmarks.micro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import dev.reactivepool.benchmarks.report.CpuShares;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording of execution samples taken inside a benchmark fork, and the attribution of its
 * samples to the pool, Reactor, Netty and the harness ({@link CpuShares}).
 *
 * <p>The runner asks a fork for a profile with the system property {@value #DIR_PROPERTY} (the
 * directory for the recordings); the benchmark starts the recording at its first measurement
 * iteration, so warmup and JIT compilation stay out of it, and dumps it at the end of the trial as
 * {@code <tag>.<pid>.jfr}, one file per fork.
 */
public final class CpuProfile {

    /** The system property naming the directory for the recordings; no property, no recording. */
    public static final String DIR_PROPERTY = "bench.jfr.dir";

    /** JFR's Java sampling period in its "profile" settings. */
    private static final Duration SAMPLING_PERIOD = Duration.ofMillis(10);

    private static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";

    private final Recording recording;
    private final Path file;

    private CpuProfile(Recording recording, Path file) {
        this.recording = recording;
        this.file = file;
    }

    /**
     * Starts a recording if this fork was asked for one.
     *
     * @param tag names the benchmark case in the file name, for example {@code reactor-pool_event-loop}
     * @return the running recording, or null if none was asked for
     */
    static CpuProfile startIfRequested(String tag) {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null || dir.isBlank()) {
            return null;
        }
        Recording recording = new Recording();
        recording.enable(EXECUTION_SAMPLE).withPeriod(SAMPLING_PERIOD);
        recording.start();
        return new CpuProfile(recording, Path.of(dir).resolve(tag + "." + ProcessHandle.current().pid() + ".jfr"));
    }

    /**
     * Stops the recording and writes it.
     *
     * @throws IOException if the file cannot be written
     */
    void stopAndDump() throws IOException {
        recording.stop();
        Files.createDirectories(file.getParent());
        recording.dump(file);
        recording.close();
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
                for (RecordedEvent e : RecordingFile.readAllEvents(f)) {
                    if (e.getEventType().getName().equals(EXECUTION_SAMPLE) && e.getStackTrace() != null) {
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
