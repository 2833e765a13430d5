package dev.reactivepool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.util.context.Context;

/**
 * Subscribes to the allocator for one new object and reports the outcome to the pool exactly
 * once (to its {@link CreationListener}): the object, the allocator's error, an error for an allocator that completed empty, or,
 * for a creation still waiting for its backoff when the pool closes, an abort.
 *
 * <p>{@link #state} makes those outcomes exclusive: a creation delayed by backoff starts
 * {@link #DELAYED}; the end of the delay ({@link #startAfterBackoff()}) and a close
 * ({@link #onPoolClosed()}) race for it by CAS, so a closed pool never subscribes to the
 * allocator again. Signals from the allocator end the creation from {@link #RUNNING}.
 *
 * @param <T> the type of the pooled object
 */
final class Creation<T> implements CoreSubscriber<T> {

    private static final int DELAYED = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Creation.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final CreationListener<T> listener;
    /** The acquirer this object is created for, or null for the idle set. */
    final Borrower<T> borrower;
    /** Whether this is the single attempt allowed while creation fails. */
    final boolean probe;
    /** Whether this creation is counted in the pool's refill count (minIdle, warm-up). */
    final boolean refill;
    /** The pool's generation when this creation started (see {@link Slot#generation}). */
    final int generation;
    /** The warmup that started this creation, told of its outcome; null otherwise. */
    private final WarmupProgress warmup;
    private volatile int state;
    private volatile Subscription subscription;
    /** nanoTime when the allocator was (or is about to be) subscribed, after any backoff. */
    private volatile long startNanos;

    Creation(CreationListener<T> listener, Borrower<T> borrower, boolean probe, boolean refill, boolean delayed,
             WarmupProgress warmup, int generation) {
        this.listener = listener;
        this.generation = generation;
        this.borrower = borrower;
        this.probe = probe;
        this.refill = refill;
        this.warmup = warmup;
        this.state = delayed ? DELAYED : RUNNING;
        this.startNanos = System.nanoTime();
    }

    /** How long this creation's attempt has taken so far (from the end of its backoff). */
    long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    /** The backoff delay ended: subscribe to the allocator unless the pool closed meanwhile. */
    boolean startAfterBackoff() {
        startNanos = System.nanoTime();
        return STATE.compareAndSet(this, DELAYED, RUNNING);
    }

    /**
     * The pool is closing: the acquirer waiting for this object fails now (the object, if it
     * still comes, is destroyed); a creation still waiting for its backoff is stopped.
     */
    void onPoolClosed() {
        if (STATE.compareAndSet(this, DELAYED, DONE)) {
            Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            listener.aborted(this);
            if (warmup != null) {
                warmup.skipped();
            }
            return;
        }
        if (borrower != null) {
            borrower.fail(listener.closedException());
        }
    }

    /** The allocator sees the Reactor context of the acquirer it creates for (none for refills). */
    @Override
    public Context currentContext() {
        return borrower != null ? borrower.subscriber().currentContext() : Context.empty();
    }

    @Override
    public void onSubscribe(Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    private boolean finish() {
        return STATE.compareAndSet(this, RUNNING, DONE);
    }

    @Override
    public void onNext(T object) {
        if (!finish()) {
            return;
        }
        if (object == null) {
            failed(new NullPointerException("the allocator emitted null"));
            return;
        }
        listener.created(this, object);
        if (warmup != null) {
            warmup.created();
        }
    }

    @Override
    public void onError(Throwable error) {
        if (finish()) {
            failed(error);
        }
    }

    @Override
    public void onComplete() {
        if (finish()) {
            failed(new IllegalStateException("Pool '" + listener.poolName() + "': the allocator completed without an object"));
        }
    }

    private void failed(Throwable error) {
        listener.failed(this, error);
        if (warmup != null) {
            warmup.failed(error);
        }
    }
}
