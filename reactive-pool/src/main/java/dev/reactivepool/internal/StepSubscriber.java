package dev.reactivepool.internal;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

/**
 * Subscribes to one asynchronous callback step (already bounded by its timeout) and reports
 * the first signal to its {@link StepOutcome}, once.
 *
 * @param <R> the type of the step's value
 */
final class StepSubscriber<R> implements CoreSubscriber<R> {

    private final StepOutcome<R> outcome;
    private boolean done;

    StepSubscriber(StepOutcome<R> outcome) {
        this.outcome = outcome;
    }

    @Override
    public void onSubscribe(Subscription s) {
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(R value) {
        if (!done) {
            done = true;
            outcome.succeeded(value);
        }
    }

    @Override
    public void onError(Throwable error) {
        if (!done) {
            done = true;
            outcome.failed(error);
        }
    }

    @Override
    public void onComplete() {
        if (!done) {
            done = true;
            outcome.succeeded(null);
        }
    }
}
