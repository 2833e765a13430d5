package dev.reactivepool.internal;

import java.util.function.Function;

import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.Fuseable;
import reactor.core.scheduler.Scheduler;

/**
 * Runs the user's callback steps on an object (validator, resetter, destroyer), each bounded by
 * its timeout, and reports each step's end to a {@link StepOutcome}, once. A callback that throws
 * or returns null is a failed step, so the step's failure path still frees the object's permit.
 * A constant result ({@code Mono.empty()}, {@code Mono.just(x)}, {@code Mono.error(e)}: Reactor's
 * {@code ScalarCallable}) is read at once, without a subscription or a timer: the common "nothing
 * to do" reset and "still valid" check then cost no allocation. Anything else is subscribed
 * ({@link StepSubscriber}).
 *
 * @param <T> the type of the pooled objects
 */
final class StepRunner<T> {

    private final String name;
    private final Scheduler timerScheduler;
    private final Function<? super T, ? extends Publisher<Boolean>> validator;
    private final Function<? super T, ? extends Publisher<Void>> resetter;
    private final Function<? super T, ? extends Publisher<Void>> destroyer;
    private final long validationTimeoutNanos;
    private final long resetTimeoutNanos;
    private final long destroyTimeoutNanos;

    StepRunner(PoolConfig<T> config) {
        this.name = config.name();
        this.timerScheduler = config.timerScheduler();
        this.validator = config.validator();
        this.resetter = config.resetter();
        this.destroyer = config.destroyer();
        this.validationTimeoutNanos = config.validationTimeout().toNanos();
        this.resetTimeoutNanos = config.resetTimeout().toNanos();
        this.destroyTimeoutNanos = config.destroyTimeout().toNanos();
    }

    /**
     * Validates {@code object} for an acquirer, whose Reactor context the validator sees; only when
     * a validator is configured.
     */
    void validate(T object, CoreSubscriber<?> acquirer, StepOutcome<Boolean> outcome) {
        run(validator, object, validationTimeoutNanos, "validationTimeout", acquirer, outcome);
    }

    /**
     * Resets {@code object} released by {@code releaser}, whose Reactor context the resetter
     * sees; only when a resetter is configured.
     */
    void reset(T object, CoreSubscriber<?> releaser, StepOutcome<Void> outcome) {
        run(resetter, object, resetTimeoutNanos, "resetTimeout", releaser, outcome);
    }

    /** Destroys {@code object} (with an empty Reactor context). */
    void destroy(T object, StepOutcome<Void> outcome) {
        run(destroyer, object, destroyTimeoutNanos, "destroyTimeout", null, outcome);
    }

    @SuppressWarnings("unchecked")
    private <R> void run(Function<? super T, ? extends Publisher<R>> callback, T object, long timeoutNanos,
                         String timeoutOption, CoreSubscriber<?> contextSource, StepOutcome<R> outcome) {
        Publisher<R> publisher;
        try {
            publisher = callback.apply(object);
        } catch (Throwable e) {
            Exceptions.throwIfJvmFatal(e);
            outcome.failed(e);
            return;
        }
        if (publisher == null) {
            outcome.failed(new NullPointerException("the callback returned a null Publisher"));
            return;
        }
        if (publisher instanceof Fuseable.ScalarCallable) {
            R value;
            try {
                value = ((Fuseable.ScalarCallable<R>) publisher).call();
            } catch (Throwable e) {
                Exceptions.throwIfJvmFatal(e);
                outcome.failed(e);
                return;
            }
            outcome.succeeded(value);
            return;
        }
        new StepSubscriber<>(outcome, name, timeoutOption, timeoutNanos, contextSource).start(publisher, timerScheduler);
    }
}
