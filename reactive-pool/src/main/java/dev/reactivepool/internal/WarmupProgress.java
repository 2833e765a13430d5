package dev.reactivepool.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import reactor.core.publisher.MonoSink;

/**
 * Collects the outcomes of the creations one {@code warmup()} started and completes its
 * {@code Mono} when the last one ends: with the number created, or with the first error.
 * The creations themselves are not cancellable by the warmup's subscriber: a created object
 * always goes to the pool, so cancelling a warmup never loses an object or a permit.
 */
final class WarmupProgress {

    private final MonoSink<Integer> sink;
    private final AtomicInteger remaining;
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicReference<Throwable> firstError = new AtomicReference<>();

    WarmupProgress(int creations, MonoSink<Integer> sink) {
        this.sink = sink;
        this.remaining = new AtomicInteger(creations);
    }

    void created() {
        created.incrementAndGet();
        oneDone();
    }

    void failed(Throwable error) {
        firstError.compareAndSet(null, error);
        oneDone();
    }

    /** A creation that could not start (no permit left, or the pool closed). */
    void skipped() {
        oneDone();
    }

    private void oneDone() {
        if (remaining.decrementAndGet() == 0) {
            Throwable error = firstError.get();
            if (error != null) {
                sink.error(error);
            } else {
                sink.success(created.get());
            }
        }
    }
}
