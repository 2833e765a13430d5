package dev.reactivepool.internal;

import dev.reactivepool.PoolClosedException;

/**
 * What a {@link Borrower} needs from its pool, beyond what its lease needs: leaving the pending
 * count, validating an object and acting on the result, and the pool's state for its errors.
 * Implemented by {@link DefaultPool}.
 *
 * @param <T> the type of the pooled objects
 */
interface BorrowerHost<T> extends LeaseHost<T> {

    /** The borrower left WAITING: one fewer in the pending count. */
    void pendingLeft();

    /** Whether {@code slot} must be validated before it is handed out. */
    boolean needsValidation(Slot<T> slot);

    /** Validates {@code slot} for {@code borrower}, which is told the outcome ({@link Borrower#onValidated}). */
    void validate(Slot<T> slot, Borrower<T> borrower);

    /** Destroys an object that failed validation. */
    void destroyInvalid(Slot<T> slot);

    /**
     * A borrower whose object failed validation tries again, ahead of the waiters that came after
     * it. Called before the invalid object is destroyed, so that the permit freed goes to it first.
     */
    void retryAcquire(Borrower<T> borrower);

    /**
     * Listeners only: an acquire starts waiting, on its subscribing thread.
     *
     * @return what follows it, or null when no listener does
     */
    ListenerDispatch.Wait<T> acquireWaitStarted(reactor.core.CoreSubscriber<?> acquirer);

    /** Records the latency of an acquire that had to wait. */
    void recordAcquireLatency(long nanos);

    /** The pool's maximum size (bounds validation failures in one acquire). */
    int maxSize();

    /** Whether the pool is closed. */
    boolean isDisposed();

    /** The error of an acquire that the pool's close ends. */
    PoolClosedException closedException();

    /**
     * The lease a borrower emits for {@code slot}: a {@link PooledLease}, or a {@link SharedLease}
     * with {@code maxLeasesPerObject > 1}.
     *
     * @param acquiredAt leak detection only (else null): the acquirer's stack
     */
    PooledLease<T> newLease(Slot<T> slot, Throwable acquiredAt);
}
