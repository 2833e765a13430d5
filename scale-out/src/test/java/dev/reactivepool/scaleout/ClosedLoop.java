package dev.reactivepool.scaleout;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A closed-loop load for fault tests: {@code workers} loops, each running one operation after
 * the other until {@link #stop()}; successes are counted and every error is kept (the next
 * operation starts after an error, as a caller retrying would).
 */
final class ClosedLoop {

    private final AtomicLong successes = new AtomicLong();
    private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    private final Disposable subscription;
    private volatile boolean finished;

    /**
     * @param workers   concurrent loops
     * @param operation the n-th operation (n counts across all workers)
     */
    ClosedLoop(int workers, IntFunction<Mono<?>> operation) {
        AtomicLong sequence = new AtomicLong();
        subscription = Flux.range(0, workers)
                .flatMap(w -> Mono.defer(() -> operation.apply((int) sequence.incrementAndGet())
                                .doOnSuccess(ok -> successes.incrementAndGet())
                                .onErrorResume(e -> {
                                    errors.add(e);
                                    // Do not spin on a down backend: pause a little after an error.
                                    return Mono.delay(Duration.ofMillis(20)).then(Mono.empty());
                                }))
                        .repeat(() -> running), workers)
                .doFinally(signal -> finished = true)
                .subscribe();
    }

    /** @return operations that succeeded so far */
    long successes() {
        return successes.get();
    }

    /** @return the errors so far */
    List<Throwable> errors() {
        return List.copyOf(errors);
    }

    /** Asks every loop to stop after its current operation. */
    void stop() {
        running = false;
    }

    /** @return whether every loop has stopped */
    boolean finished() {
        return finished;
    }

    /** Stops at once (test clean-up). */
    void dispose() {
        running = false;
        subscription.dispose();
    }
}
