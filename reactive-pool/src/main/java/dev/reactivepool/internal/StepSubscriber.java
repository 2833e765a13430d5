package dev.reactivepool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.Context;

/**
 * Subscribes to one asynchronous callback step (validation, reset, destruction), bounded by its
 * timeout, and reports the first outcome to its {@link StepOutcome}, once: the first value (the
 * rest of the publisher is cancelled), completion, an error, or the timeout.
 *
 * <p>A hand-written one-shot timer rather than {@code Mono.timeout}: in reactor-core 3.8 every
 * subscription of {@code timeout} builds a description with a regex, besides a {@code MonoDelay}
 * and three subscribers. Here the timer is one scheduled task (this object) and {@link #done} is
 * the only arbiter: the step's first signal and the timer race for it by CAS, and the loser does
 * nothing, so the outcome is reported exactly once. The winner cancels the other side (disposes
 * the timer, or cancels the step).
 *
 * @param <R> the type of the step's value
 */
final class StepSubscriber<R> implements CoreSubscriber<R>, Runnable {

    private static final VarHandle DONE;

    static {
        try {
            DONE = MethodHandles.lookup().findVarHandle(StepSubscriber.class, "done", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final StepOutcome<R> outcome;
    private final String poolName;
    private final String timeoutOption;
    private final long timeoutNanos;
    /** Whose Reactor context the step sees (the acquirer for a validation, the releaser for a
     *  reset); null for none. Read only when the step asks, so it costs nothing otherwise. */
    private final CoreSubscriber<?> contextSource;
    private volatile int done;
    private volatile Subscription upstream;
    private volatile Disposable timer;

    StepSubscriber(StepOutcome<R> outcome, String poolName, String timeoutOption, long timeoutNanos,
                   CoreSubscriber<?> contextSource) {
        this.outcome = outcome;
        this.poolName = poolName;
        this.timeoutOption = timeoutOption;
        this.timeoutNanos = timeoutNanos;
        this.contextSource = contextSource;
    }

    @Override
    public Context currentContext() {
        return contextSource != null ? contextSource.currentContext() : Context.empty();
    }

    /** Arms the timer, then subscribes to the step. */
    void start(Publisher<R> step, Scheduler timerScheduler) {
        Disposable d;
        try {
            d = timerScheduler.schedule(this, timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException rejected) {
            // No timer: the step cannot be bounded, so it fails (and is never subscribed).
            if (DONE.compareAndSet(this, 0, 1)) {
                outcome.failed(rejected);
            }
            return;
        }
        timer = d;
        if (done != 0) {
            d.dispose(); // timed out already (a timer that ran at once): nothing to subscribe to
            return;
        }
        step.subscribe(this);
    }

    @Override
    public void onSubscribe(Subscription s) {
        upstream = s;
        // Read after the write above; the timer writes done before it reads upstream: at least
        // one of the two sees the other, so a timed-out step is always cancelled.
        if (done != 0) {
            s.cancel();
        } else {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(R value) {
        if (DONE.compareAndSet(this, 0, 1)) {
            Subscription s = upstream;
            if (s != null) {
                s.cancel(); // the first value is the outcome; nothing more is wanted
            }
            disposeTimer();
            outcome.succeeded(value);
        }
    }

    @Override
    public void onError(Throwable error) {
        if (DONE.compareAndSet(this, 0, 1)) {
            disposeTimer();
            outcome.failed(error);
        }
    }

    @Override
    public void onComplete() {
        if (DONE.compareAndSet(this, 0, 1)) {
            disposeTimer();
            outcome.succeeded(null);
        }
    }

    /** The timeout. */
    @Override
    public void run() {
        if (DONE.compareAndSet(this, 0, 1)) {
            Subscription s = upstream;
            if (s != null) {
                s.cancel();
            }
            outcome.failed(new TimeoutException("Pool '" + poolName + "': the step did not end within "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (" + timeoutOption + ")"));
        }
    }

    private void disposeTimer() {
        // Null if the step ended before start() stored the timer; start() then sees done and disposes it.
        Disposable d = timer;
        if (d != null) {
            d.dispose();
        }
    }
}
