package dev.reactivepool.internal;

import java.util.concurrent.TimeUnit;

import dev.reactivepool.DestroyReason;
import reactor.core.scheduler.Scheduler;

/**
 * Validation of an object before it is handed out: whether it is due (a validator is configured,
 * and the object was not released within the skip window), running the validator for a
 * {@link Borrower} and telling it the outcome, and destroying an object that failed. It holds no
 * shared state: the slot it validates is owned by the borrower until the outcome is reported.
 *
 * @param <T> the type of the pooled objects
 */
final class Validation<T> {

    private final String name;
    private final StepRunner<T> steps;
    private final PoolCounters counters;
    /** Null when no listener is registered. */
    private final ListenerDispatch<T> events;
    private final ReturnPath<T> returns;
    private final Scheduler timerScheduler;
    /** Whether a validator is configured. */
    private final boolean validates;
    private final boolean validationSkippable;
    private final long skipValidationNanos;

    Validation(PoolConfig<T> config, StepRunner<T> steps, PoolCounters counters, ListenerDispatch<T> events,
               ReturnPath<T> returns) {
        this.name = config.name();
        this.steps = steps;
        this.counters = counters;
        this.events = events;
        this.returns = returns;
        this.timerScheduler = config.timerScheduler();
        this.validates = config.validator() != null;
        this.validationSkippable = config.validationSkippable();
        this.skipValidationNanos = config.skipValidationWithin().toNanos();
    }

    /** Whether {@code slot} must be validated before it is handed out. */
    boolean needsValidation(Slot<T> slot) {
        if (!validates) {
            return false;
        }
        // The timer scheduler's clock, so that a virtual-time scheduler drives the skip window.
        return !validationSkippable
                || timerScheduler.now(TimeUnit.NANOSECONDS) - slot.releasedAtNanos >= skipValidationNanos;
    }

    /** Validates {@code slot} for {@code borrower}, which is told the outcome ({@link Borrower#onValidated}). */
    void validate(Slot<T> slot, Borrower<T> borrower) {
        steps.validate(slot.object, borrower.subscriber(), new StepOutcome<Boolean>() {
            @Override
            public void succeeded(Boolean valid) {
                if (events != null && !Boolean.TRUE.equals(valid)) {
                    events.validationFailed(slot.object, null);
                }
                borrower.onValidated(slot, Boolean.TRUE.equals(valid));
            }

            @Override
            public void failed(Throwable error) {
                DefaultPool.LOG.debug("Pool '{}': validation failed: {}", name, error.toString());
                if (events != null) {
                    events.validationFailed(slot.object, error);
                }
                borrower.onValidated(slot, false);
            }
        });
    }

    /** Destroys an object that failed validation (destroy reason VALIDATION_FAILED). */
    void destroyInvalid(Slot<T> slot) {
        counters.validationFailures.increment();
        slot.destroyReason = DestroyReason.VALIDATION_FAILED;
        returns.destroy(slot, null);
    }
}
