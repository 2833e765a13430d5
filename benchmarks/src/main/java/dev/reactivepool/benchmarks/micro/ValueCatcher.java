package dev.reactivepool.benchmarks.micro;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

/**
 * A reusable subscriber that keeps the last value it received, so that an idle-hit cycle can
 * subscribe to {@code acquire()} and {@code release()} without allocating a subscriber per call.
 *
 * <p>It implements {@link CoreSubscriber} so that Reactor does not wrap it in a strict subscriber
 * (which would allocate). It is reused sequentially by one benchmark thread. On the idle-hit path
 * the pools signal synchronously on the subscribing thread; when a pool instead delivers from
 * another thread (its slow path, for example a drain loop run by the other benchmark thread), the
 * benchmark thread spins until the signal arrives, so that the slow path's cost is measured too,
 * and counts it in {@link #lateSignals()}. Signals are published with release/acquire accesses,
 * which cost nothing more than plain ones on x86 and keep the cross-thread case correct.
 *
 * @param <T> the type of the values
 */
public final class ValueCatcher<T> implements CoreSubscriber<T> {

    private static final VarHandle VALUE;
    private static final VarHandle COMPLETED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            VALUE = lookup.findVarHandle(ValueCatcher.class, "value", Object.class);
            COMPLETED = lookup.findVarHandle(ValueCatcher.class, "completed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Object value;
    private boolean completed;
    private volatile Throwable error;
    private long lateSignals;

    @Override
    public void onSubscribe(Subscription s) {
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(T t) {
        VALUE.setRelease(this, t);
    }

    @Override
    public void onError(Throwable t) {
        error = t;
    }

    @Override
    public void onComplete() {
        COMPLETED.setRelease(this, true);
    }

    /**
     * Takes the value received by the last subscription and forgets it, spinning if it has not
     * arrived yet.
     *
     * @return the value
     * @throws IllegalStateException if the publisher failed
     */
    @SuppressWarnings("unchecked")
    public T takeValue() {
        Object t = VALUE.getAcquire(this);
        if (t == null) {
            t = awaitValue();
        }
        VALUE.set(this, null);
        return (T) t;
    }

    /**
     * Checks that the last subscription completed, spinning if it has not yet, and forgets it.
     *
     * @throws IllegalStateException if the publisher failed
     */
    public void takeCompletion() {
        if (!(boolean) COMPLETED.getAcquire(this)) {
            awaitCompletion();
        }
        COMPLETED.set(this, false);
    }

    /**
     * How many signals arrived after the subscribing call returned (the pool's slow path).
     *
     * @return the count since this catcher was created
     */
    public long lateSignals() {
        return lateSignals;
    }

    private Object awaitValue() {
        lateSignals++;
        Object t;
        while ((t = VALUE.getAcquire(this)) == null) {
            checkError();
            Thread.onSpinWait();
        }
        return t;
    }

    private void awaitCompletion() {
        lateSignals++;
        while (!(boolean) COMPLETED.getAcquire(this)) {
            checkError();
            Thread.onSpinWait();
        }
    }

    private void checkError() {
        Throwable e = error;
        if (e != null) {
            error = null;
            throw new IllegalStateException("the pool under test signalled an error", e);
        }
    }
}
