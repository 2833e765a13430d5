package dev.reactivepool.samples;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A closed-loop load: {@code concurrency} workers each run one request after another, with a
 * random item id, until the run's time is up. Latencies of requests started after the warm-up go
 * into an HdrHistogram {@link Recorder} (wait-free for the recording threads, as its range is
 * fixed); the calling thread
 * reads it four times a second for the progress line.
 *
 * <p>The requests run on Reactor and Netty threads and never block; only {@link #run} blocks, on
 * the caller's (main) thread, while it waits for the load to finish.
 */
public final class Workload {

    private static final long PROGRESS_INTERVAL_MILLIS = 250;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** Latencies above this are recorded as this (requests time out well before). */
    private static final long HIGHEST_LATENCY_NANOS = Duration.ofMinutes(1).toNanos();

    private final IntFunction<Mono<?>> request;
    private final int concurrency;

    /**
     * @param request     one request for an item id from 1 to {@link DemoSchema#ITEMS}; an error
     *                    or an empty result counts as a failed request
     * @param concurrency how many requests are in flight at once
     */
    public Workload(IntFunction<Mono<?>> request, int concurrency) {
        this.request = request;
        this.concurrency = concurrency;
    }

    /**
     * Runs the load and blocks until it is over: call it from the main thread.
     *
     * @param label    the run's name, for the result
     * @param name     its short name, for the progress line
     * @param warmup   how long to run before measuring
     * @param duration how long to measure
     * @param database the count of database connections
     * @param http     the count of upstream HTTP connections
     * @param progress where to show progress
     * @return the run's figures
     * @throws InterruptedException if the calling thread is interrupted
     */
    public RunResult run(String label, String name, Duration warmup, Duration duration, ConnectionCounter database,
                         ConnectionCounter http, ProgressLine progress) throws InterruptedException {
        database.startRun();
        http.startRun();
        // A fixed range: an auto-resizing recorder would resize under a lock on the recording
        // (event-loop) thread, and its resize races with interval reads.
        Recorder recorder = new Recorder(1, HIGHEST_LATENCY_NANOS, 3);
        LongAdder completed = new LongAdder();
        LongAdder measured = new LongAdder();
        LongAdder errors = new LongAdder();
        AtomicReference<Throwable> firstError = new AtomicReference<>();

        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + duration.toNanos();

        Mono<Void> load = Flux.range(0, concurrency)
                .flatMap(worker -> Mono.defer(() -> timedRequest(measureFrom, recorder, completed, measured, errors,
                                firstError))
                        .repeat(() -> System.nanoTime() < end), concurrency)
                .then();
        CompletableFuture<Void> done = load.toFuture();

        Histogram total = new Histogram(1, HIGHEST_LATENCY_NANOS, 3);
        Histogram interval = null;
        long lastCompleted = 0;
        long lastNanos = start;
        while (!done.isDone()) {
            try {
                done.get(PROGRESS_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // time for a progress line
            } catch (ExecutionException e) {
                throw new IllegalStateException("the load failed", e.getCause());
            }
            long now = System.nanoTime();
            interval = recorder.getIntervalHistogram(interval);
            total.add(interval);
            long completedNow = completed.sum();
            double rate = (completedNow - lastCompleted) / ((now - lastNanos) / 1e9);
            lastCompleted = completedNow;
            lastNanos = now;
            progress.update(progressText(name, now, start, measureFrom, end, rate, interval, database, http,
                    errors.sum()));
        }
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        Throwable error = firstError.get();
        RunResult result = new RunResult(label, measured.sum(), duration, errors.sum(),
                Optional.ofNullable(error), total,
                database.openedCount(), database.peak(), http.openedCount(), http.peak(), Map.of());
        progress.finish(String.format(Locale.ROOT, "%-13s done: %,d requests in %s, %,.0f req/s, %d failed",
                name, result.requests(), DemoOptions.format(duration), result.requestsPerSecond(), result.errors()));
        return result;
    }

    private Mono<Object> timedRequest(long measureFrom, Recorder recorder, LongAdder completed, LongAdder measured,
                                      LongAdder errors, AtomicReference<Throwable> firstError) {
        int id = ThreadLocalRandom.current().nextInt(1, DemoSchema.ITEMS + 1);
        long started = System.nanoTime();
        return request.apply(id)
                .timeout(REQUEST_TIMEOUT)
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("no answer for item " + id)))
                .<Object>map(answer -> {
                    long now = System.nanoTime();
                    completed.increment();
                    if (started >= measureFrom) {
                        measured.increment();
                        recorder.recordValue(Math.min(Math.max(now - started, 1), HIGHEST_LATENCY_NANOS));
                    }
                    return answer;
                })
                .onErrorResume(e -> {
                    errors.increment();
                    firstError.compareAndSet(null, e);
                    return Mono.empty();
                });
    }

    /** The progress line, kept under 80 columns so that a terminal can rewrite it in place. */
    private static String progressText(String name, long now, long start, long measureFrom, long end, double rate,
                                       Histogram interval, ConnectionCounter database, ConnectionCounter http,
                                       long errors) {
        String phase;
        if (now < measureFrom) {
            phase = String.format(Locale.ROOT, "warm-up %4.1fs", (now - start) / 1e9);
        } else {
            phase = String.format(Locale.ROOT, "%4.1fs/%.1fs", Math.min(now - measureFrom, end - measureFrom) / 1e9,
                    (end - measureFrom) / 1e9);
        }
        String p99 = interval.getTotalCount() == 0 ? "p99      -"
                : String.format(Locale.ROOT, "p99 %6.1f ms", interval.getValueAtPercentile(99) / 1e6);
        return String.format(Locale.ROOT, "%-13s %-12s %,7.0f req/s  %-13s  open: DB %3d, HTTP %3d%s",
                name, phase, rate, p99, database.openNow(), http.openNow(),
                errors == 0 ? "" : String.format(Locale.ROOT, "  %,d failed", errors));
    }
}
