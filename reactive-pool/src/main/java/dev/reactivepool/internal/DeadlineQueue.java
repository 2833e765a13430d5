package dev.reactivepool.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jctools.queues.MpscUnboundedArrayQueue;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * The shared acquire-timeout timer: borrowers on the pool's default acquire timeout that had to
 * wait, in the order they started waiting, which is the order of their deadlines (they all share
 * one timeout; concurrent arrivals may swap places by the few microseconds between reading the
 * clock and enqueueing), watched by one timer armed no later than the oldest unfinished deadline.
 *
 * <p>Any thread {@link #add}s; everything else is owned by the pool's drain loop, the only caller
 * of {@link #check}: it drops finished borrowers from the head, times out expired ones and keeps
 * the timer armed. A borrower stays here from the moment it waits until it is done, through
 * creation, validation or a retry, so the timer covers the whole acquire.
 *
 * @param <T> the type of the pooled objects
 */
final class DeadlineQueue<T> {

    /** {@link #timerAt} when no timer is armed. */
    private static final long NO_TIMER = Long.MAX_VALUE;

    private final MpscUnboundedArrayQueue<Borrower<T>> borrowers = new MpscUnboundedArrayQueue<>(64);
    private final Scheduler timerScheduler;
    /** The pool's drain loop, run by a timer when it fires. */
    private final Runnable drain;
    /**
     * Drain-owned: the earliest time (timer clock, ns) for which a timer is armed and has not fired
     * yet, or NO_TIMER. A timer armed for a time that no longer matters (its borrower was served)
     * is not cancelled: it fires once, records itself and triggers a cheap check, which costs less
     * than cancelling and re-arming on every hand-off.
     */
    private long timerAt = NO_TIMER;
    /**
     * Drain-owned: the timer armed for {@link #timerAt}; cancelled once the pool is closed and no
     * borrower is left to watch, so that it does not keep the closed pool reachable.
     */
    private Disposable timer;
    /**
     * The latest armed time of a timer that has fired (timer clock, ns). A timer fires no earlier
     * than the time it was armed for, so every deadline up to this value has passed, whatever the
     * clock says (a test scheduler may run delayed tasks early). Only grows.
     */
    private final AtomicLong firedUpTo = new AtomicLong(Long.MIN_VALUE);

    DeadlineQueue(Scheduler timerScheduler, Runnable drain) {
        this.timerScheduler = timerScheduler;
        this.drain = drain;
    }

    /**
     * Adds a borrower, its deadline counted from now: reading the clock just before the offer
     * keeps the queue in deadline order but for concurrent arrivals. Any thread; the caller drains
     * afterwards, which arms the timer if needed.
     */
    void add(Borrower<T> borrower) {
        borrower.deadlineFrom(timerScheduler.now(TimeUnit.NANOSECONDS));
        borrowers.offer(borrower);
    }

    /**
     * Drain-owned upkeep: drops finished borrowers from the head, times out those whose deadline
     * passed, and keeps a timer armed no later than the deadline of the oldest one left. Reads the
     * clock only when that timer must be (re)armed, which in steady traffic is once per acquire
     * timeout: borrowers are served in deadline order, so the head's deadline only grows and the
     * armed timer stays early enough until it fires.
     *
     * @param closed whether the pool is closed (then a timer no borrower needs is cancelled)
     */
    void check(boolean closed) {
        long fired = firedUpTo.get();
        if (timerAt <= fired) {
            timer = null;
            timerAt = NO_TIMER; // the armed timer fired, or a later one did (so its time came too)
        }
        long now = 0;
        boolean clockRead = false;
        Borrower<T> borrower;
        while ((borrower = borrowers.peek()) != null) {
            if (borrower.isDone()) {
                borrowers.poll();
                continue;
            }
            long deadline = borrower.deadlineNanos;
            // Plain comparisons: clock values here are far from overflow (a deadline is at most
            // 365 days ahead), and firedUpTo starts at Long.MIN_VALUE.
            if (deadline <= fired) {
                borrowers.poll();
                borrower.run(); // the acquire timeout
                continue;
            }
            if (timerAt <= deadline) {
                return; // the armed timer fires no later than this deadline
            }
            if (!clockRead) {
                now = timerScheduler.now(TimeUnit.NANOSECONDS);
                clockRead = true;
            }
            if (deadline <= now) {
                borrowers.poll();
                borrower.run();
                continue;
            }
            // No timer, or one armed later than this deadline (arrivals swapped places): arm one.
            Disposable armed;
            try {
                armed = timerScheduler.schedule(new Timer(deadline), deadline - now, TimeUnit.NANOSECONDS);
            } catch (RuntimeException rejected) {
                // No timer available: this acquire cannot be bounded, so it fails now.
                borrowers.poll();
                borrower.fail(rejected);
                continue;
            }
            // A timer that ran at once (inside schedule) has already recorded itself: the next
            // pass of the drain loop, which its drain call requested, sees it.
            timer = armed;
            timerAt = deadline;
            return;
        }
        if (closed && timerAt != NO_TIMER) {
            timer.dispose();
            timer = null;
            timerAt = NO_TIMER;
        }
    }

    /** A timer armed for one deadline: records that it fired, then drains. */
    private final class Timer implements Runnable {

        private final long at;

        Timer(long at) {
            this.at = at;
        }

        @Override
        public void run() {
            firedUpTo.accumulateAndGet(at, Math::max);
            drain.run();
        }
    }
}
