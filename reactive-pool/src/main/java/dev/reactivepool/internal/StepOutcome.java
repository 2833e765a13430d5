package dev.reactivepool.internal;

/**
 * What the pool does when a user callback step (validation, reset, destruction) ends.
 * Exactly one of the two methods is called, once.
 *
 * @param <R> the type of the step's value ({@code Boolean} for validation, {@code Void} otherwise)
 */
interface StepOutcome<R> {

    /**
     * The step completed.
     *
     * @param value its value, or null if it completed empty
     */
    void succeeded(R value);

    /**
     * The step failed, timed out, or its callback threw or returned null.
     *
     * @param error why
     */
    void failed(Throwable error);
}
