package dev.reactivepool.benchmarks.e2e;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A closed-loop load: keeps {@code concurrency} operations in flight ({@code concurrency}
 * workers, each starting a new operation when its last one ends) for a warmup and then a
 * measured window, and records each operation's latency, from subscription to termination, in an
 * HdrHistogram {@link Recorder}.
 *
 * <p>At the end of the window no new operation starts and the ones in flight finish normally
 * (never cancelled, so that no connection is torn down by the harness); only the operations
 * completed inside the window count.
 */
public final class ClosedLoopLoad {

    private static final long MAX_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(2);

    private final Supplier<Mono<?>> operation;
    private final int concurrency;
    private final Recorder recorder = new Recorder(MAX_LATENCY_NANOS, 3);
    private final LongAdder errors = new LongAdder();
    private volatile boolean stopping;
    private volatile Throwable firstError;

    /**
     * Prepares a load.
     *
     * @param operation   makes one lazy operation; subscribed once per operation
     * @param concurrency operations in flight
     */
    public ClosedLoopLoad(Supplier<Mono<?>> operation, int concurrency) {
        this.operation = operation;
        this.concurrency = concurrency;
    }

    /**
     * The outcome of the measured window.
     *
     * @param latencies  latencies of the operations completed in the window, in nanoseconds
     * @param window     the length of the window
     * @param errors     operations that failed, warmup included
     * @param firstError the first failure, or null
     * @param cpuNanos   CPU time this JVM used during the window (all its threads; the database
     *                   or server, in other processes, excluded), or -1 if the JVM cannot tell
     * @param allocatedBytes bytes allocated during the window by the threads alive at both its ends
     *                   (the event loops, which run the pools and the driver, are), or -1 if the JVM
     *                   cannot tell
     */
    public record Outcome(Histogram latencies, Duration window, long errors, Throwable firstError, long cpuNanos,
                          long allocatedBytes) {

        /**
         * Bytes allocated per completed operation in the window: unlike the CPU time, it does not
         * depend on how loaded the machine is, so it compares the subjects' per-operation work
         * even on a busy machine.
         *
         * @return bytes per operation, or NaN if unknown
         */
        public double bytesPerOperation() {
            long n = latencies.getTotalCount();
            return allocatedBytes < 0 || n == 0 ? Double.NaN : (double) allocatedBytes / n;
        }

        /**
         * CPU time this JVM spent per completed operation in the window: on a shared machine a
         * steadier comparison of the client-side cost than the rate, which follows the load.
         *
         * @return microseconds per operation, or NaN if unknown
         */
        public double cpuMicrosPerOperation() {
            long n = latencies.getTotalCount();
            return cpuNanos < 0 || n == 0 ? Double.NaN : cpuNanos / 1000.0 / n;
        }

        /**
         * Completed operations per second in the window.
         *
         * @return the rate
         */
        public double perSecond() {
            return latencies.getTotalCount() / (window.toNanos() / 1e9);
        }

        /**
         * This outcome and another of the same subject measured in a later round, as one.
         *
         * @param later the other outcome
         * @return the latencies of both, the sum of the windows and of the errors
         */
        public Outcome plus(Outcome later) {
            Histogram both = latencies.copy();
            both.add(later.latencies);
            return new Outcome(both, window.plus(later.window), errors + later.errors,
                    firstError != null ? firstError : later.firstError,
                    cpuNanos < 0 || later.cpuNanos < 0 ? -1 : cpuNanos + later.cpuNanos,
                    allocatedBytes < 0 || later.allocatedBytes < 0 ? -1 : allocatedBytes + later.allocatedBytes);
        }
    }

    /**
     * Runs the warmup and the measured window, waiting on the calling thread (a harness thread,
     * never an event loop).
     *
     * @param warmup      how long to run before measuring
     * @param measurement how long to measure
     * @return the measured outcome
     * @throws InterruptedException if the calling thread is interrupted
     */
    public Outcome run(Duration warmup, Duration measurement) throws InterruptedException {
        // One worker per operation in flight, each starting its next operation when the last one
        // ends (repeat). Not one flatMap over an endless range: its drain loop scans all its
        // inners on every completion, a cost growing with the concurrency that every subject
        // paid on top of its own work (about a tenth of the CPU samples at 64 in flight).
        Mono<Void> worker = timed().repeat(() -> !stopping).then();
        Mono<Void> load = Flux.range(0, concurrency)
                .flatMap(i -> worker, concurrency)
                .then()
                .cache();
        load.subscribe();
        Thread.sleep(warmup.toMillis());
        recorder.getIntervalHistogram(); // drop the warmup
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        Map<Long, Long> allocatedStart = allocatedBytesByThread();
        Thread.sleep(measurement.toMillis());
        Histogram measured = recorder.getIntervalHistogram();
        long cpuEnd = processCpuNanos();
        long allocated = allocatedSince(allocatedStart);
        Duration window = Duration.ofNanos(System.nanoTime() - start);
        stopping = true;
        load.block(Duration.ofMinutes(2)); // let the operations in flight finish
        return new Outcome(measured, window, errors.sum(), firstError,
                cpuStart < 0 || cpuEnd < 0 ? -1 : cpuEnd - cpuStart, allocated);
    }

    /** Bytes allocated so far by each live thread, or null if the JVM cannot tell. */
    private static Map<Long, Long> allocatedBytesByThread() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
            return null;
        }
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        Map<Long, Long> byThread = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                byThread.put(ids[i], bytes[i]);
            }
        }
        return byThread;
    }

    /** Bytes allocated since {@code start} by the threads alive then and now, or -1 if unknown. */
    private static long allocatedSince(Map<Long, Long> start) {
        Map<Long, Long> end = allocatedBytesByThread();
        if (start == null || end == null) {
            return -1;
        }
        long sum = 0;
        for (Map.Entry<Long, Long> e : end.entrySet()) {
            Long before = start.get(e.getKey());
            if (before != null) {
                sum += e.getValue() - before;
            }
        }
        return sum;
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : -1;
    }

    private Mono<Void> timed() {
        return Mono.defer(() -> {
            long start = System.nanoTime();
            return operation.get()
                    .doOnError(e -> {
                        if (firstError == null) {
                            firstError = e;
                        }
                        errors.increment();
                    })
                    .doOnSuccess(x -> recorder.recordValue(Math.min(System.nanoTime() - start, MAX_LATENCY_NANOS)))
                    .onErrorResume(e -> Mono.empty())
                    .then();
        });
    }
}
