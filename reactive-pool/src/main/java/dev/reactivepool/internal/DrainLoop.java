package dev.reactivepool.internal;

import java.util.concurrent.atomic.AtomicInteger;

import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.MpscUnboundedArrayQueue;

/**
 * The drain loop: the single consumer of the waiting queues ({@link #pending}, {@link #retrying}),
 * the hand-off queue ({@link #handoff}) and the shared {@link DeadlineQueue}. It matches waiting
 * borrowers with released and idle objects, starts creations for them, turns released objects
 * nobody waits for into idle ones, and empties everything once the pool is closed.
 *
 * <p>Serialized by {@link #wip}: whoever moves it from 0 drains until it can subtract every
 * increment it saw; others only increment it. So matching, creation decisions, the shared
 * acquire timeouts and closing never race with each other and never lock; user code that calls
 * back into the pool from inside the loop (an onNext that releases or acquires) only enqueues and
 * increments, it never recurses into another drain.
 *
 * @param <T> the type of the pooled objects
 */
final class DrainLoop<T> {

    private final DrainHost<T> pool;
    private final CreationControl<T> creation;
    /** Suspension, and the retirement of stale or surplus objects. */
    private final Operations<T> ops;
    /** Null unless maxLeasesPerObject > 1. */
    private final SharedLeases<T> shared;
    private final AtomicInteger wip = new AtomicInteger();
    /** Slots released while acquirers wait, not yet given to one (capacity >= maxSize: offers never fail). */
    private final MpscArrayQueue<Slot<T>> handoff;
    /** Waiting borrowers, in arrival order. */
    private final MpscUnboundedArrayQueue<Borrower<T>> pending = new MpscUnboundedArrayQueue<>(64);
    /**
     * Borrowers whose object failed validation: served before {@link #pending}, so that an
     * acquirer keeps its place in line while the pool draws it another object.
     */
    private final MpscUnboundedArrayQueue<Borrower<T>> retrying = new MpscUnboundedArrayQueue<>(16);
    /** The shared acquire-timeout timer and its queue. */
    private final DeadlineQueue<T> deadlines;

    DrainLoop(DrainHost<T> pool, PoolConfig<T> config, CreationControl<T> creation, Operations<T> ops,
              SharedLeases<T> shared) {
        this.pool = pool;
        this.creation = creation;
        this.ops = ops;
        this.shared = shared;
        this.handoff = new MpscArrayQueue<>(Math.max(2, config.maxSizeLimit())); // resize never exceeds it
        this.deadlines = new DeadlineQueue<>(config.timerScheduler(), this::drain);
    }

    /** Hands a released object to the waiters (the caller saw one waiting), then drains. */
    void handOff(Slot<T> slot) {
        handoff.offer(slot); // capacity >= maxSize >= live objects: cannot fail
        drain();
    }

    /**
     * Queues a borrower already counted as waiting, then drains.
     *
     * @param retry served before the other waiters (its object failed validation)
     * @param watchDeadline also put it under the shared deadline timer
     */
    void await(Borrower<T> borrower, boolean retry, boolean watchDeadline) {
        if (watchDeadline) {
            deadlines.add(borrower); // before the drain below, which arms the timer if needed
        }
        (retry ? retrying : pending).offer(borrower);
        drain();
    }

    /** Puts a borrower that does not wait in a queue under the shared deadline timer, then drains. */
    void watchDeadline(Borrower<T> borrower) {
        deadlines.add(borrower);
        drain();
    }

    void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        for (;;) {
            boolean closed = pool.isDisposed(); // a close during this pass requests another one (its drain call)
            if (closed) {
                drainClosed();
            } else {
                drainOpen();
            }
            deadlines.check(closed); // after drainClosed, so that borrowers it failed are dropped, not watched
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private void drainOpen() {
        // Suspended (see Operations.suspend): nobody is served and nothing created until resume.
        while (!ops.isSuspended()) {
            MpscUnboundedArrayQueue<Borrower<T>> queue = retrying.isEmpty() ? pending : retrying;
            Borrower<T> borrower = queue.peek();
            if (borrower == null) {
                break;
            }
            if (!borrower.isWaiting()) {
                queue.poll(); // cancelled or timed out while queued; it already left the count
                continue;
            }
            Slot<T> slot = handoff.poll();
            if (slot != null && ops.retire(slot, null)) {
                continue; // created before an evictAll, or surplus after a resize
            }
            if (slot == null) {
                slot = pool.takeIdle(false);
            }
            if (slot != null) {
                queue.poll();
                if (!borrower.assign(slot)) {
                    handoff.offer(slot); // the borrower left meanwhile: offer the object to the next
                }
                continue;
            }
            slot = shared == null ? null : shared.leastLeasedWithRoom(); // maxLeasesPerObject > 1: an object with room
            if (slot != null) {
                queue.poll();
                if (!borrower.assign(slot)) {
                    shared.returnUnused(slot); // the borrower left meanwhile: the share goes back
                }
                continue;
            }
            if (creation.start(borrower)) {
                queue.poll();
                continue;
            }
            break; // nothing to give and no room to create: wait for a release or a destroy
        }
        // Released objects nobody waits for any more become idle.
        Slot<T> slot;
        while ((slot = handoff.poll()) != null) {
            if (!ops.retire(slot, null)) {
                pool.toIdle(slot, null);
            }
        }
    }

    private void drainClosed() {
        Borrower<T> borrower;
        while ((borrower = retrying.poll()) != null) {
            borrower.fail(pool.closedException());
        }
        while ((borrower = pending.poll()) != null) {
            borrower.fail(pool.closedException());
        }
        Slot<T> slot;
        while ((slot = handoff.poll()) != null) {
            pool.destroy(slot, null);
        }
        while ((slot = pool.takeIdle(false)) != null) {
            pool.destroy(slot, null);
        }
        pool.checkCloseDone();
    }
}
