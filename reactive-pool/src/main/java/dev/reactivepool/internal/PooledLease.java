package dev.reactivepool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import dev.reactivepool.Lease;
import dev.reactivepool.Reclaimable;
import dev.reactivepool.LeaseReleasedException;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * A lease, and the only object allocated on the idle-hit path.
 *
 * <p>On that path the lease is also the {@link Subscription} given to the acquirer: the slot is
 * already taken from the idle store when the lease is created ({@link #PENDING}); the first
 * {@code request} emits it, a {@code cancel} before that returns the slot. It is also the
 * {@code Mono<Void>} returned by {@link #release()}, so releasing allocates nothing either.
 *
 * <p>{@link #state} is the only field written concurrently; each transition is a CAS, so exactly
 * one of emit/cancel and exactly one of release/invalidate wins. The winner of
 * {@code PENDING -> LEASED} owns the slot on behalf of the user until the winner of
 * {@code LEASED -> RELEASED} hands it back to the pool.
 *
 * <p>Not final for {@link SharedLease} only (one of several leases of a shared object); a pool
 * with one lease per object never loads that class, so calls here stay monomorphic.
 *
 * @param <T> the type of the pooled object
 */
class PooledLease<T> extends Mono<Void> implements Lease<T>, Reclaimable, Subscription {

    /** Created on the idle-hit path, not yet emitted; the slot is reserved for this lease. */
    static final int PENDING = 0;
    /** Emitted: the user owns the object. */
    static final int LEASED = 1;
    /** Released or invalidated: dead. */
    static final int RELEASED = 2;
    /** Cancelled before emission: the slot went back to the pool. Dead. */
    static final int CANCELLED = 3;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(PooledLease.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Slot<T> slot;
    /** The acquirer to emit to, on the idle-hit path only; cleared once emitted or cancelled. */
    private CoreSubscriber<? super Lease<T>> actual;
    private volatile int state;
    /** Facts of this lease, written before emission (published by onNext or the delivery hop). */
    long acquiredAtMillis;
    long timesAcquired;

    /** A lease on the idle-hit path, emitted on the first request. */
    PooledLease(Slot<T> slot, CoreSubscriber<? super Lease<T>> actual) {
        this.slot = slot;
        this.actual = actual;
    }

    /** A lease emitted at once by a borrower, already owned by the user. */
    PooledLease(Slot<T> slot) {
        this.slot = slot;
        this.state = LEASED;
    }

    // ---- Subscription (idle-hit path) ----

    @Override
    public void request(long n) {
        if (n <= 0) {
            if (STATE.compareAndSet(this, PENDING, CANCELLED)) {
                CoreSubscriber<? super Lease<T>> a = actual;
                actual = null;
                slot.pool.returnUnused(slot);
                a.onError(Operators.onOperatorError(new IllegalArgumentException(
                        "Spec. Rule 3.9 - Cannot request a non strictly positive number: " + n), a.currentContext()));
            }
            return;
        }
        if (state == PENDING) {
            if (slot.pool.deliversInPlace()) {
                emit(); // no hop, no allocation: the idle-hit path
            } else {
                slot.pool.deliverLater(this::emit);
            }
        }
    }

    private void emit() {
        if (STATE.compareAndSet(this, PENDING, LEASED)) {
            CoreSubscriber<? super Lease<T>> a = actual;
            actual = null;
            slot.pool.onLeaseStart(slot, this);
            a.onNext(this);
            a.onComplete();
        }
    }

    boolean isPending() {
        return state == PENDING;
    }

    /**
     * Arms the acquire timeout for the rare acquirer that did not request in onSubscribe: the
     * slot is reserved for it, so the timeout must still be able to take it back.
     */
    void armTimeout(Duration timeout) {
        try {
            slot.pool.timerScheduler().schedule(() -> timeoutBeforeRequest(timeout), timeout.toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RuntimeException rejected) {
            // No timer available: the lease still ends on request or cancel.
        }
    }

    private void timeoutBeforeRequest(Duration timeout) {
        if (STATE.compareAndSet(this, PENDING, CANCELLED)) {
            CoreSubscriber<? super Lease<T>> a = actual;
            actual = null;
            slot.pool.returnUnused(slot);
            a.onError(slot.pool.acquireTimedOut(timeout));
        }
    }

    @Override
    public void cancel() {
        if (STATE.compareAndSet(this, PENDING, CANCELLED)) {
            actual = null;
            slot.pool.returnUnused(slot);
        }
    }

    // ---- Lease ----

    @Override
    public T get() {
        if (state != LEASED) {
            throw new LeaseReleasedException(slot.pool.name());
        }
        LostLeaseWatch w = slot.lostLeaseWatch;
        if (w != null) {
            w.dereferenced(); // (a stale read after a re-lease only makes the next lease's watch more careful)
        }
        return slot.object;
    }

    @Override
    public Mono<Void> release() {
        return this;
    }

    @Override
    public Mono<Void> invalidate() {
        return new InvalidateMono<>(this);
    }

    @Override
    public boolean isReleased() {
        return state >= RELEASED;
    }

    @Override
    public Instant createdAt() {
        return Instant.ofEpochMilli(slot.createdAtMillis);
    }

    @Override
    public Instant acquiredAt() {
        return Instant.ofEpochMilli(acquiredAtMillis);
    }

    @Override
    public long timesAcquired() {
        return timesAcquired;
    }

    /** Ends the lease; true for the single caller that wins, who must hand the slot back. */
    boolean kill() {
        if (STATE.compareAndSet(this, LEASED, RELEASED)) {
            LostLeaseWatch w = slot.lostLeaseWatch; // still this lease's: the slot is not handed back yet
            if (w != null) {
                w.ended();
            }
            return true;
        }
        return false;
    }

    /**
     * A lease nobody holds any more (dropped by Reactor after emission, see
     * {@link dev.reactivepool.DroppedLeases}): released as its holder would have.
     */
    @Override
    public void reclaim() {
        if (kill()) {
            slot.pool.onReclaimed();
            slot.pool.release(slot, Operators.drainSubscriber());
        }
    }

    // ---- Mono<Void> returned by release() ----

    @Override
    public void subscribe(CoreSubscriber<? super Void> subscriber) {
        if (kill()) {
            slot.pool.release(slot, subscriber);
        } else {
            Operators.complete(subscriber);
        }
    }

    @Override
    public String toString() {
        int s = state;
        return "Lease[pool=" + slot.pool.name() + ", state="
                + (s == PENDING ? "pending" : s == LEASED ? "leased" : s == RELEASED ? "released" : "cancelled")
                + ", timesAcquired=" + timesAcquired + "]";
    }
}
