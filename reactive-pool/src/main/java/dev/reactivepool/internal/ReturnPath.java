package dev.reactivepool.internal;

import java.util.concurrent.TimeUnit;

import dev.reactivepool.DestroyReason;
import reactor.core.CoreSubscriber;
import reactor.core.scheduler.Scheduler;

/**
 * The way back of an object after its lease, or unused: the reset step, the worn-out and lifetime
 * checks, the hand-off to a waiter or the idle offer (the pool's {@link DefaultPool#toIdle}), and
 * destruction with what follows it (events, leak registry, the freed permit, then a drain, the
 * minIdle refill or the end of a close). It holds no shared state: the slot it works on is owned
 * by the caller (see "Completion of release and invalidate" in {@code CONCURRENCY.md}), and
 * {@code done} is threaded through to the step that puts the object back or destroys it.
 *
 * @param <T> the type of the pooled objects
 */
final class ReturnPath<T> {

    private final ReturnHost<T> pool;
    private final String name;
    private final StepRunner<T> steps;
    private final PoolCounters counters;
    /** Null when no listener is registered. */
    private final ListenerDispatch<T> events;
    /** Null when leak detection is off. */
    private final LeakDetection<T> leakDetection;
    private final Operations<T> ops;
    private final DrainLoop<T> drainLoop;
    private final CreationControl<T> creation;
    private final Scheduler timerScheduler;
    private final long maxUses;
    private final long maxLifetimeMillis;
    private final boolean validationSkippable;
    /** Whether a resetter is configured. */
    private final boolean resets;

    ReturnPath(ReturnHost<T> pool, PoolConfig<T> config, StepRunner<T> steps, PoolCounters counters,
               ListenerDispatch<T> events, LeakDetection<T> leakDetection, Operations<T> ops,
               DrainLoop<T> drainLoop, CreationControl<T> creation) {
        this.pool = pool;
        this.name = config.name();
        this.steps = steps;
        this.counters = counters;
        this.events = events;
        this.leakDetection = leakDetection;
        this.ops = ops;
        this.drainLoop = drainLoop;
        this.creation = creation;
        this.timerScheduler = config.timerScheduler();
        this.maxUses = config.maxUses();
        this.maxLifetimeMillis = config.maxLifetime().toMillis();
        this.validationSkippable = config.validationSkippable();
        this.resets = config.resetter() != null;
    }

    /**
     * Shared leases: the last lease of an object ended (its own bookkeeping is done): reset (if
     * configured), then return or destroy the object, as the pool's release does.
     */
    void resetAndRecycle(Slot<T> slot, CoreSubscriber<? super Void> done) {
        if (!resets || pool.isDisposed()) {
            recycle(slot, done);
            return;
        }
        reset(slot, done);
    }

    /**
     * Runs the resetter, then {@link #recycle}s the object; if the reset fails, destroys it
     * (destroy reason RESET_FAILED). The caller has ended the lease's bookkeeping.
     */
    void reset(Slot<T> slot, CoreSubscriber<? super Void> done) {
        steps.reset(slot.object, done, new StepOutcome<Void>() {
            @Override
            public void succeeded(Void nothing) {
                recycle(slot, done);
            }

            @Override
            public void failed(Throwable error) {
                counters.resetFailures.increment();
                DefaultPool.LOG.debug("Pool '{}': reset failed, destroying the object: {}", name, error.toString());
                if (events != null) {
                    events.resetFailed(slot.object, error);
                }
                slot.destroyReason = DestroyReason.RESET_FAILED;
                destroy(slot, done);
            }
        });
    }

    /** A used object comes back: destroyed if closed or worn out, otherwise returned. */
    void recycle(Slot<T> slot, CoreSubscriber<? super Void> done) {
        if (pool.isDisposed()) {
            destroy(slot, done);
            return;
        }
        long now = pool.coarseNow();
        if (slot.timesAcquired >= maxUses || (maxLifetimeMillis > 0 && now >= slot.expiresAtMillis)) {
            slot.destroyReason = slot.timesAcquired >= maxUses ? DestroyReason.MAX_USES : DestroyReason.LIFETIME;
            evict(slot, done);
            return;
        }
        slot.idleSinceMillis = now;
        if (validationSkippable) {
            slot.releasedAtNanos = pool.timerNanos();
        }
        returnUnused(slot, done);
    }

    /**
     * Puts an object back: to the oldest waiter, else idle (or destroyed by the idle cap or a
     * close), then completes {@code done} if not null.
     */
    void returnUnused(Slot<T> slot, CoreSubscriber<? super Void> done) {
        if (pool.isDisposed()) {
            destroy(slot, done);
            return;
        }
        if (ops.retire(slot, done)) {
            return;
        }
        if (pool.hasWaiters()) {
            drainLoop.handOff(slot);
            complete(done);
            return;
        }
        pool.toIdle(slot, done);
    }

    /** Completes {@code done}, if any: the object is back in the pool or destroyed. */
    static void complete(CoreSubscriber<? super Void> done) {
        if (done != null) {
            done.onComplete();
        }
    }

    /** Destroys an evicted object (idle timeout, lifetime, max uses, idle cap), counted as evicted. */
    void evict(Slot<T> slot, CoreSubscriber<? super Void> done) {
        counters.evicted.increment();
        destroy(slot, done);
    }

    /** Destroys the object; frees its permit and completes {@code done} (if not null) when the destroyer ends. */
    void destroy(Slot<T> slot, CoreSubscriber<? super Void> done) {
        steps.destroy(slot.object, new StepOutcome<Void>() {
            @Override
            public void succeeded(Void nothing) {
                onDestroyed(slot, null);
                complete(done);
            }

            @Override
            public void failed(Throwable error) {
                onDestroyed(slot, error);
                complete(done);
            }
        });
    }

    private void onDestroyed(Slot<T> slot, Throwable error) {
        if (error != null) {
            counters.destroyFailures.increment();
            DefaultPool.LOG.debug("Pool '{}': destroying an object failed: {}", name, error.toString());
        }
        counters.destroyed.increment();
        counters.unregister(slot);
        if (leakDetection != null) {
            leakDetection.unregister(slot);
        }
        if (events != null) { // before the permit is freed: close completes after every destroyed event
            DestroyReason reason = slot.destroyReason;
            events.destroyed(slot.object, reason != null ? reason : DestroyReason.CLOSED,
                    timerScheduler.now(TimeUnit.MILLISECONDS) - slot.createdAtMillis, slot.timesAcquired, error);
        }
        pool.permitFreed(); // the permit is freed only now that the object is gone
        if (slot.retired) {
            ops.retirementEnded(); // after the decrement: the surplus is never under-counted
        }
        afterPermitFreed();
    }

    /** A permit was freed: ends a close, or serves the waiters, or refills to minIdle. */
    void afterPermitFreed() {
        if (pool.isDisposed()) {
            pool.checkCloseDone();
            return;
        }
        if (pool.hasWaiters()) {
            pool.drain();
        } else {
            creation.ensureMinIdle();
        }
    }
}
