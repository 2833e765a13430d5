package dev.reactivepool.internal;

import java.util.concurrent.TimeUnit;

import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * The pool's background task, every eviction interval on the timer scheduler: advances the coarse
 * clock (the pool's {@code coarseNowMillis}, of which it is the only writer), evicts expired idle
 * objects, scans for leaks, refills to minIdle and drains if acquirers wait. Each run schedules the next one (a one-shot task, not a periodic one: cancelling a
 * periodic task takes the executor's queue lock, which Reactor's BlockHound integration allows
 * only for one-shot tasks).
 *
 * @param <T> the type of the pooled objects
 */
final class Housekeeping<T> {

    private final HousekeepingHost<T> pool;
    private final CreationControl<T> creation;
    /** Destroys what eviction takes out. */
    private final ReturnPath<T> returns;
    /** Null when no listener is registered. */
    private final ListenerDispatch<T> events;
    /** Null when leak detection is off. */
    private final LeakDetection<T> leakDetection;
    /** Null when no expiry option is set. */
    private final Expiry<T> expiry;
    private final Scheduler timerScheduler;
    private final long intervalMillis;
    private final String name;
    /**
     * The next run. Written by the run that schedules it, read by {@link #stop()}; see
     * {@link #schedule()} for why neither can miss the other.
     */
    private volatile Disposable next;

    Housekeeping(HousekeepingHost<T> pool, PoolConfig<T> config, CreationControl<T> creation,
                 LeakDetection<T> leakDetection, Expiry<T> expiry, ReturnPath<T> returns, ListenerDispatch<T> events) {
        this.pool = pool;
        this.creation = creation;
        this.returns = returns;
        this.events = events;
        this.leakDetection = leakDetection;
        this.expiry = expiry;
        this.timerScheduler = config.timerScheduler();
        this.intervalMillis = config.evictionInterval().toMillis();
        this.name = config.name();
    }

    /**
     * Schedules the next run. Close sets the pool's {@code closed} and then calls {@link #stop()},
     * which disposes {@link #next}; this method writes {@link #next} and then reads {@code closed}.
     * Both are volatile, so either close sees (and disposes) the new task or this method sees the
     * pool closed and disposes it itself; disposing twice is harmless.
     */
    void schedule() {
        Disposable task = timerScheduler.schedule(this::runAndReschedule, intervalMillis, TimeUnit.MILLISECONDS);
        next = task;
        if (pool.isDisposed()) {
            task.dispose();
        }
    }

    /** The pool closed (after setting its closed flag): no further run. */
    void stop() {
        next.dispose();
    }

    private void runAndReschedule() {
        run();
        if (!pool.isDisposed()) {
            try {
                schedule();
            } catch (RuntimeException e) {
                // The timer scheduler was shut down under a live pool: nothing can re-arm it.
                DefaultPool.LOG.warn("Pool '" + name + "': housekeeping stopped, the timer scheduler refused it", e);
            }
        }
    }

    private void run() {
        try {
            long now = timerScheduler.now(TimeUnit.MILLISECONDS);
            pool.advanceCoarseClock(now);
            if (pool.isDisposed()) {
                return;
            }
            if (expiry != null) {
                pool.sweepIdle(slot -> expiry.isExpired(slot, now), this::evictExpired);
            }
            if (leakDetection != null) {
                leakDetection.scan(now);
            }
            creation.ensureMinIdle();
            if (pool.hasWaiters()) {
                pool.drain();
            }
        } catch (Throwable e) {
            DefaultPool.LOG.warn("Pool '" + name + "': housekeeping failed; it will run again", e);
        }
    }

    /** An expired slot, out of the idle store and owned by this run: destroyed (counted as evicted). */
    private void evictExpired(Slot<T> slot) {
        if (slot.idleCounted) {
            pool.giveBackIdlePlace();
        }
        if (events != null && slot.destroyReason == null) {
            slot.destroyReason = expiry.reason(slot, pool.coarseNow());
        }
        returns.evict(slot, null);
    }
}
