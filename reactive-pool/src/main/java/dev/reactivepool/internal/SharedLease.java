package dev.reactivepool.internal;

import dev.reactivepool.Lease;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * One of the leases of a shared object ({@code maxLeasesPerObject > 1}). Single-use like any
 * lease (the state machine of {@link PooledLease}); what differs is what ends it: the lease's own
 * bookkeeping (hold time, its {@link ShareWatch}) instead of the slot's, and one share of the
 * object given back through {@link SharedLeases#endLease} instead of the whole object.
 *
 * @param <T> the type of the pooled object
 */
final class SharedLease<T> extends PooledLease<T> {

    /** Leak detection only (else null): the acquirer's stack. */
    final Throwable acquiredAtSite;
    /** This lease's watch, or null; written by the emitting thread before emission. */
    ShareWatch watch;
    /** nanoTime when this lease started if its hold time is sampled, else 0 (written before emission). */
    long holdStartNanos;

    /** A lease on the idle-hit path, emitted on the first request. */
    SharedLease(Slot<T> slot, CoreSubscriber<? super Lease<T>> actual, Throwable acquiredAtSite) {
        super(slot, actual);
        this.acquiredAtSite = acquiredAtSite;
    }

    /** A lease emitted at once by a borrower. */
    SharedLease(Slot<T> slot, Throwable acquiredAtSite) {
        super(slot);
        this.acquiredAtSite = acquiredAtSite;
    }

    @SuppressWarnings("unchecked")
    private SharedLeases<T> host() {
        return (SharedLeases<T>) slot.pool;
    }

    @Override
    public T get() {
        T object = super.get();
        ShareWatch w = watch;
        if (w != null) {
            w.dereferenced();
        }
        return object;
    }

    @Override
    boolean kill() {
        if (super.kill()) {
            ShareWatch w = watch;
            if (w != null) {
                w.ended();
            }
            return true;
        }
        return false;
    }

    @Override
    public void reclaim() {
        if (kill()) {
            host().onReclaimed();
            host().endLease(this, Operators.drainSubscriber(), false);
        }
    }

    @Override
    public void subscribe(CoreSubscriber<? super Void> subscriber) {
        if (kill()) {
            host().endLease(this, subscriber, false);
        } else {
            Operators.complete(subscriber);
        }
    }

    @Override
    public Mono<Void> invalidate() {
        return new Mono<>() {
            @Override
            public void subscribe(CoreSubscriber<? super Void> actual) {
                if (kill()) {
                    host().endLease(SharedLease.this, actual, true);
                } else {
                    Operators.complete(actual);
                }
            }
        };
    }
}
