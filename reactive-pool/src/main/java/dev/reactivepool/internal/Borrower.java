package dev.reactivepool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.reactivepool.AcquireTimeoutException;
import dev.reactivepool.Lease;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Operators;

/**
 * One acquisition that could not be served from the idle set at once: it waits in the pending
 * queue, or for an object being created for it, or for the validation of an idle object. It is
 * the {@link Subscription} given to the acquirer and the task run by the acquire timeout.
 *
 * <p>State machine ({@link #state}, every transition a CAS so that exactly one party wins):
 * <pre>
 *   NEW ──► WAITING ──► VALIDATING ──► READY ──► EMITTED
 *    │         │            │  ▲         ▲
 *    │         └──► CREATING ─┼─────────┘
 *    └──────────────────────┘ (validation failed: back to NEW, try again)
 *   any of NEW, WAITING, CREATING, VALIDATING, READY ──► CANCELLED | TIMED_OUT | FAILED
 * </pre>
 * Invariants: the pool's pending count includes this borrower exactly while it is WAITING (the
 * party leaving WAITING decrements it).
 *
 * <p>Acquire timeout: a borrower on the pool's default timeout ({@link #sharedDeadline}) has no
 * timer of its own; it is registered with the pool's deadline queue, which one timer watches
 * (see {@link DeadlineQueue}). Any other timeout arms a timer for this borrower
 * alone ({@link #startTimer()}). Either way {@link #run()} times it out from any in-progress
 * state.
 *
 * <p>The slot is written before the CAS into VALIDATING or
 * READY, and read only by the winner of the CAS out of those states, so the CAS publishes it. An
 * object arriving after the borrower left (cancel, timeout) goes back to the pool: nothing leaks.
 *
 * @param <T> the type of the pooled object
 */
final class Borrower<T> implements Subscription, Runnable {

    static final int NEW = 0;
    static final int WAITING = 1;
    static final int CREATING = 2;
    static final int VALIDATING = 3;
    static final int READY = 4;
    static final int EMITTED = 5;
    static final int CANCELLED = 6;
    static final int TIMED_OUT = 7;
    static final int FAILED = 8;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Borrower.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final BorrowerHost<T> pool;
    private final CoreSubscriber<? super Lease<T>> actual;
    private final Duration timeout;
    /** True if the pool's shared deadline timer watches this borrower (the pool's default timeout). */
    final boolean sharedDeadline;
    /**
     * Timer-scheduler clock (ns) at which the acquire times out; used with {@link #sharedDeadline}.
     * Written once, by the thread that registers this borrower with the pool's deadline queue,
     * before the offer that publishes it to the drain loop (the only reader).
     */
    long deadlineNanos;
    private final long startNanos;
    /** Leak detection only (else null): the acquirer's stack, taken on its subscribing thread. */
    private final Throwable acquiredAt;
    /** Listeners only (else null): what follows this acquire; ended once, by the party that ends it. */
    private final ListenerDispatch.Wait<T> wait;
    private volatile int state;
    private volatile boolean requested;
    private volatile Disposable timer;
    /** Written before the CAS into VALIDATING/READY; see the class invariants. */
    private Slot<T> slot;
    /** Objects that failed validation for this borrower so far; touched by one party at a time. */
    private int validationFailures;

    /** @param acquiredAt leak detection only (else null): the acquirer's stack, taken on its subscribing thread */
    Borrower(BorrowerHost<T> pool, CoreSubscriber<? super Lease<T>> actual, Duration timeout, boolean sharedDeadline,
             Throwable acquiredAt) {
        this.pool = pool;
        this.actual = actual;
        this.timeout = timeout;
        this.sharedDeadline = sharedDeadline;
        this.startNanos = System.nanoTime();
        this.acquiredAt = acquiredAt;
        this.wait = pool.acquireWaitStarted(actual);
    }

    /** Listeners only: what follows this acquire, or null. */
    ListenerDispatch.Wait<T> waitTrace() {
        return wait;
    }

    /** Tells the listeners following this acquire how it ended; called once, by the winner of the end. */
    private void waitEnded(dev.reactivepool.PoolEvent.AcquireOutcome outcome, Throwable error) {
        if (wait != null) {
            wait.ended(outcome, System.nanoTime() - startNanos, error);
        }
    }

    /** @return the acquirer's subscriber, whose Reactor context the allocator and validator see */
    CoreSubscriber<? super Lease<T>> subscriber() {
        return actual;
    }

    /** Sets the shared deadline: the acquire timeout counted from {@code nowNanos} (timer clock). */
    void deadlineFrom(long nowNanos) {
        deadlineNanos = nowNanos + timeout.toNanos();
    }

    /** Arms this borrower's own acquire timer (not on the shared deadline); called once, after onSubscribe. */
    void startTimer() {
        Disposable d;
        try {
            d = pool.timerScheduler().schedule(this, timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RuntimeException rejected) {
            fail(rejected);
            return;
        }
        timer = d;
        if (state >= EMITTED) {
            d.dispose(); // finished before the timer was stored
        }
    }

    private void disposeTimer() {
        Disposable d = timer;
        if (d != null) {
            d.dispose();
        }
    }

    boolean isWaiting() {
        return state == WAITING;
    }

    boolean isDone() {
        return state >= EMITTED;
    }

    /** NEW -> WAITING, just before entering the pending queue (the pending count is already up). */
    boolean markWaiting() {
        return STATE.compareAndSet(this, NEW, WAITING);
    }

    /** Leaves NEW or WAITING for {@code target}; keeps the pending count exact. */
    private boolean leaveQueue(int target) {
        for (;;) {
            int s = state;
            if (s != NEW && s != WAITING) {
                return false;
            }
            if (STATE.compareAndSet(this, s, target)) {
                if (s == WAITING) {
                    pool.pendingLeft();
                }
                return true;
            }
        }
    }

    /** Claims this borrower for an object about to be created for it. */
    boolean claimForCreation() {
        return leaveQueue(CREATING);
    }

    /**
     * Gives an idle or released slot to this borrower: validated first if the pool says so.
     *
     * @return false if the borrower already left; the caller still owns the slot
     */
    boolean assign(Slot<T> s) {
        boolean validate = pool.needsValidation(s);
        slot = s;
        if (!leaveQueue(validate ? VALIDATING : READY)) {
            return false;
        }
        if (validate) {
            pool.validate(s, this);
        } else {
            tryEmit();
        }
        return true;
    }

    /** The object created for this borrower. @return false if the borrower left; the caller keeps the slot */
    boolean onCreated(Slot<T> s) {
        if (pool.isDisposed()) {
            if (STATE.compareAndSet(this, CREATING, FAILED)) {
                terminateWithError(pool.closedException());
            }
            return false;
        }
        slot = s;
        if (!STATE.compareAndSet(this, CREATING, READY)) {
            return false;
        }
        tryEmit();
        return true;
    }

    /** The creation made for this borrower failed: the allocator's error is this acquirer's error. */
    void onCreationFailed(Throwable error) {
        if (STATE.compareAndSet(this, CREATING, FAILED)) {
            terminateWithError(error);
        }
    }

    /** The outcome of validating {@code s}; the borrower owns {@code s} until this call. */
    void onValidated(Slot<T> s, boolean valid) {
        if (valid) {
            if (pool.isDisposed()) {
                pool.returnUnused(s); // destroyed, the pool is closed
                if (STATE.compareAndSet(this, VALIDATING, FAILED)) {
                    terminateWithError(pool.closedException());
                }
            } else if (STATE.compareAndSet(this, VALIDATING, READY)) {
                tryEmit();
            } else {
                pool.returnUnused(s); // the acquirer left while we validated; the object is fine
            }
            return;
        }
        if (state != VALIDATING) {
            pool.destroyInvalid(s); // the acquirer left meanwhile
            return;
        }
        if (++validationFailures > pool.maxSize()) {
            if (STATE.compareAndSet(this, VALIDATING, FAILED)) {
                terminateWithError(new IllegalStateException("Pool '" + pool.name() + "': no valid object after "
                        + validationFailures + " validation failures in one acquire"));
            }
            pool.destroyInvalid(s);
            return;
        }
        // Retry before destroying: the permit the destruction frees must go to this acquirer,
        // not to one that came after it.
        if (STATE.compareAndSet(this, VALIDATING, NEW)) {
            pool.retryAcquire(this);
        }
        pool.destroyInvalid(s);
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            fail(new IllegalArgumentException("Spec. Rule 3.9 - Cannot request a non strictly positive number: " + n));
            return;
        }
        requested = true;
        tryEmit();
    }

    /** Emits if both the object is READY and the acquirer requested; either side may call it. */
    private void tryEmit() {
        if (requested && state == READY) {
            if (pool.deliversInPlace()) {
                emit();
            } else {
                pool.deliverLater(this::emit);
            }
        }
    }

    private void emit() {
        if (!STATE.compareAndSet(this, READY, EMITTED)) {
            return; // emitted by a racing call, or cancelled (the canceller returned the slot)
        }
        disposeTimer();
        PooledLease<T> lease = pool.newLease(slot, acquiredAt);
        if (acquiredAt != null) {
            slot.acquiredAt = acquiredAt; // emitted maybe on a releaser's or the driver's thread: keep the acquirer's stack
        }
        long waited = System.nanoTime() - startNanos;
        slot.acquireWaitNanos = waited; // for the acquired event
        pool.onLeaseStart(slot, lease);
        pool.recordAcquireLatency(waited);
        if (wait != null) {
            wait.ended(dev.reactivepool.PoolEvent.AcquireOutcome.ACQUIRED, waited, null);
        }
        actual.onNext(lease);
        actual.onComplete();
    }

    @Override
    public void cancel() {
        if (leave(CANCELLED)) {
            waitEnded(dev.reactivepool.PoolEvent.AcquireOutcome.CANCELLED, null);
        }
    }

    /** The acquire timeout. */
    @Override
    public void run() {
        if (leave(TIMED_OUT)) {
            AcquireTimeoutException error = pool.acquireTimedOut(timeout);
            waitEnded(dev.reactivepool.PoolEvent.AcquireOutcome.TIMEOUT, error);
            actual.onError(error);
        }
    }

    /**
     * Fails the acquisition with {@code error} if it is still in progress.
     *
     * @return true if this call ended the acquisition (and signalled the error)
     */
    boolean fail(Throwable error) {
        if (leave(FAILED)) {
            waitEnded(dev.reactivepool.PoolEvent.AcquireOutcome.ERROR, error);
            actual.onError(error);
            return true;
        }
        return false;
    }

    /**
     * Moves from any in-progress state to a terminal one. A slot already assigned (READY) goes
     * back to the pool; one being validated or created goes back when that step ends.
     */
    private boolean leave(int terminal) {
        for (;;) {
            int s = state;
            if (s >= EMITTED) {
                return false;
            }
            if (STATE.compareAndSet(this, s, terminal)) {
                if (s == WAITING) {
                    pool.pendingLeft();
                }
                disposeTimer();
                if (s == READY) {
                    pool.returnUnused(slot);
                }
                return true;
            }
        }
    }

    private void terminateWithError(Throwable error) {
        disposeTimer();
        waitEnded(dev.reactivepool.PoolEvent.AcquireOutcome.ERROR, error);
        actual.onError(error);
    }
}
