package dev.reactivepool.internal;

import java.time.Duration;

import dev.reactivepool.Lease;
import reactor.core.CoreSubscriber;

/**
 * The acquire that finds no idle object, and the retry of one whose object failed validation:
 * a {@link Borrower} is made, its timeout armed (its own timer, or the shared
 * {@link DeadlineQueue}), and it either starts a creation at once (nobody waits) or is counted in
 * the pool's pending count and queued in the {@link DrainLoop}, or rejected at maxPending. It
 * holds no shared state: the pending count is the pool's ({@link WaitingHost}), because the
 * idle-hit path reads it, and the queues are the drain loop's.
 *
 * <p>No lost wake-up: the pending count is raised (CAS, a full fence) before the borrower is
 * queued and the drain runs, and a releaser offers to the idle store before it reads the count;
 * see "No lost wake-ups" in {@code CONCURRENCY.md}.
 *
 * @param <T> the type of the pooled objects
 */
final class Waiting<T> {

    private final WaitingHost<T> pool;
    /** The host of borrowers: the pool, or the shared leases with maxLeasesPerObject > 1. */
    private final BorrowerHost<T> host;
    private final DrainLoop<T> drainLoop;
    private final CreationControl<T> creation;
    private final Operations<T> ops;
    private final PoolStatus<T> status;
    private final PoolCounters counters;
    /** Null unless maxLeasesPerObject > 1. */
    private final SharedLeases<T> shared;
    /** Null when leak detection is off. */
    private final LeakDetection<T> leakDetection;
    private final int maxPending;

    Waiting(WaitingHost<T> pool, BorrowerHost<T> host, PoolConfig<T> config, DrainLoop<T> drainLoop,
            CreationControl<T> creation, Operations<T> ops, PoolStatus<T> status, PoolCounters counters,
            SharedLeases<T> shared, LeakDetection<T> leakDetection) {
        this.pool = pool;
        this.host = host;
        this.drainLoop = drainLoop;
        this.creation = creation;
        this.ops = ops;
        this.status = status;
        this.counters = counters;
        this.shared = shared;
        this.leakDetection = leakDetection;
        this.maxPending = config.maxPending();
    }

    /** An acquire that took no idle object (or found acquirers waiting): a borrower creates or waits. */
    void subscribe(CoreSubscriber<? super Lease<T>> actual, Duration timeout, boolean sharedDeadline) {
        Borrower<T> borrower = new Borrower<>(host, actual, timeout, sharedDeadline, acquireSite(actual));
        actual.onSubscribe(borrower);
        if (borrower.isDone()) {
            return;
        }
        if (!sharedDeadline) {
            borrower.startTimer();
        }
        if (pool.pendingCount() == 0) {
            if (sharedDeadline) {
                drainLoop.watchDeadline(borrower); // armed before the creation starts, so it covers it
            }
            if (creation.start(borrower)) {
                return;
            }
            enqueue(borrower, false, false);
            return;
        }
        enqueue(borrower, false, sharedDeadline); // registers a shared-deadline borrower
    }

    /** Starts the acquire timeout of a borrower that does not go through the pending queue. */
    void startTimer(Borrower<T> borrower) {
        if (borrower.sharedDeadline) {
            drainLoop.watchDeadline(borrower);
        } else {
            borrower.startTimer();
        }
    }

    /**
     * Leak detection only (null when it is off, so the acquire paths allocate nothing for it):
     * where {@code actual} asked (see {@link LeakDetection#acquireSite}).
     */
    Throwable acquireSite(CoreSubscriber<?> actual) {
        return leakDetection == null ? null : leakDetection.acquireSite(actual);
    }

    /**
     * Puts a borrower in a waiting queue, or rejects it if the pending limit is reached.
     *
     * @param retry its object failed validation: served first, not bounded by maxPending
     * @param watchDeadline also put it under the shared deadline timer
     */
    private void enqueue(Borrower<T> borrower, boolean retry, boolean watchDeadline) {
        for (;;) {
            int p = pool.pendingCount();
            if (!retry && p - (ops.isSuspended() ? 1 : 0) >= maxPending) { // minus suspend()'s phantom waiter
                // Counted only if the rejection ends the acquire (its timeout may have fired first).
                if (borrower.fail(status.exhausted(maxPending, p))) {
                    counters.rejections.increment();
                }
                return;
            }
            if (pool.addPending(p)) {
                break;
            }
        }
        if (!borrower.markWaiting()) {
            pool.pendingLeft(); // left (cancel/timeout) before it could wait
            return;
        }
        drainLoop.await(borrower, retry, watchDeadline);
    }

    /**
     * A borrower whose object failed validation tries again, ahead of the waiters that came after
     * it and not counted against maxPending. Called before the invalid object is destroyed, so
     * that the permit its destruction frees goes to this borrower first.
     */
    void retry(Borrower<T> borrower) {
        if (pool.isDisposed()) {
            borrower.fail(pool.closedException());
            return;
        }
        if (pool.pendingCount() == 0) {
            Slot<T> slot = pool.takeIdle(true);
            if (slot != null) {
                if (!borrower.assign(slot)) {
                    pool.returnUnused(slot);
                }
                return;
            }
            slot = shared == null ? null : shared.leastLeasedWithRoom();
            if (slot != null) {
                if (!borrower.assign(slot)) {
                    shared.returnUnused(slot);
                }
                return;
            }
            if (creation.start(borrower)) {
                return;
            }
        }
        enqueue(borrower, true, false); // already watched by its timer or the deadline queue
    }
}
