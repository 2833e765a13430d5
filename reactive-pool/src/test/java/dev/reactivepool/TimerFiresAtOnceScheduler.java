package dev.reactivepool;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Scheduler;

/**
 * A timer scheduler that, once {@linkplain #fireAtOnce() switched}, treats every delay as already
 * elapsed: a delayed task runs at once, on the calling thread. It makes a pool's timeouts fire at
 * the earliest instant they could, to pin down races between a timeout and the step it guards.
 * Until switched it delegates to another scheduler (typically a virtual clock nobody advances).
 * It counts the delayed tasks it is given, so that tests can tell how many timers a pool arms.
 */
final class TimerFiresAtOnceScheduler implements Scheduler {

    private final Scheduler delegate;
    private final AtomicInteger delayedTasks = new AtomicInteger();
    private volatile boolean atOnce;

    TimerFiresAtOnceScheduler(Scheduler delegate) {
        this.delegate = delegate;
    }

    /** From now on, delayed tasks run at once. */
    void fireAtOnce() {
        atOnce = true;
    }

    /** @return how many delayed tasks were scheduled so far */
    int delayedTasks() {
        return delayedTasks.get();
    }

    @Override
    public Disposable schedule(Runnable task) {
        return delegate.schedule(task);
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        delayedTasks.incrementAndGet();
        if (atOnce) {
            task.run();
            return Disposables.disposed();
        }
        return delegate.schedule(task, delay, unit);
    }

    @Override
    public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return delegate.schedulePeriodically(task, initialDelay, period, unit);
    }

    @Override
    public long now(TimeUnit unit) {
        return delegate.now(unit);
    }

    @Override
    public Worker createWorker() {
        return delegate.createWorker();
    }
}
