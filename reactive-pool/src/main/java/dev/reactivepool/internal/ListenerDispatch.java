package dev.reactivepool.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

import dev.reactivepool.DestroyReason;
import dev.reactivepool.PoolEvent;
import dev.reactivepool.PoolListener;
import reactor.core.Exceptions;
import reactor.util.context.ContextView;

/**
 * Delivers a pool's lifecycle events to its {@link PoolListener}s, in registration order, and
 * keeps a listener's failure from reaching the pool: whatever a listener throws is logged (WARN
 * the first time for that listener, DEBUG after) and swallowed. The pool holds none when no
 * listener is registered, so its paths then pay one null check per event point and allocate
 * nothing for events.
 *
 * <p>Each method builds its event once and hands it to every listener, on the calling thread.
 * The only shared state is {@link #warned} (a CAS per listener, on failure only).
 *
 * @param <T> the type of the pooled objects
 */
final class ListenerDispatch<T> {

    private final String name;
    private final PoolListener<T>[] listeners;
    /** 1 at index i once listener i's failure was logged at WARN. */
    private final AtomicIntegerArray warned;

    @SuppressWarnings("unchecked")
    private ListenerDispatch(String name, List<? extends PoolListener<? super T>> listeners) {
        this.name = name;
        // A listener of a supertype of T accepts every event of T: the events only carry T objects.
        this.listeners = listeners.toArray(new PoolListener[0]);
        this.warned = new AtomicIntegerArray(this.listeners.length);
    }

    /** The dispatch for a pool configured with {@code config}, or null if it has no listener. */
    static <T> ListenerDispatch<T> of(PoolConfig<T> config) {
        List<? extends PoolListener<? super T>> listeners = config.listeners();
        return listeners == null || listeners.isEmpty() ? null : new ListenerDispatch<>(config.name(), listeners);
    }

    private void failed(int index, Throwable error) {
        Exceptions.throwIfJvmFatal(error);
        String listener = listeners[index].getClass().getName();
        if (warned.compareAndSet(index, 0, 1)) {
            DefaultPool.LOG.warn("Pool '" + name + "': listener " + listener + " threw; the pool ignores it"
                    + " (further failures of this listener are logged at DEBUG)", error);
        } else {
            DefaultPool.LOG.debug("Pool '{}': listener {} threw again: {}", name, listener, error.toString());
        }
    }

    /** A new object; {@code wait} is the acquire it was created for, if that acquire is followed. */
    void created(T object, long creationNanos, Wait<T> wait) {
        PoolEvent.Created<T> event = new PoolEvent.Created<>(name, object, Duration.ofNanos(creationNanos));
        for (int i = 0; i < listeners.length; i++) {
            try {
                listeners[i].created(event);
            } catch (Throwable e) {
                failed(i, e);
            }
        }
        if (wait != null) {
            wait.created(event);
        }
    }

    void creationFailed(Throwable error, long attemptNanos) {
        PoolEvent.CreationFailed event = new PoolEvent.CreationFailed(name, error, Duration.ofNanos(attemptNanos));
        for (int i = 0; i < listeners.length; i++) {
            try {
                listeners[i].creationFailed(event);
            } catch (Throwable e) {
                failed(i, e);
            }
        }
    }

    void acquired(T object, long waitNanos, long timesAcquired) {
        PoolEvent.Acquired<T> event = new PoolEvent.Acquired<>(name, object, Duration.ofNanos(waitNanos),
                timesAcquired);
        for (int i = 0; i < listeners.length; i++) {
            try {
                listeners[i].acquired(event);
            } catch (Throwable e) {
                failed(i, e);
            }
        }
    }

    void released(T object, long holdNanos, boolean invalidated) {
        PoolEvent.Released<T> event = new PoolEvent.Released<>(name, object, Duration.ofNanos(holdNanos), invalidated);
        for (int i = 0; i < listeners.length; i++) {
            try {
                listeners[i].released(event);
            } catch (Throwable e) {
                failed(i, e);
            }
        }
    }

    void validationFailed(T object, Throwable error) {
        PoolEvent.ValidationFailed<T> event = new PoolEvent.ValidationFailed<>(name, object, error);
        for (int i = 0; i < listeners.length; i++) {
            try {
                listeners[i].validationFailed(event);
            } catch (Throwable e) {
                failed(i, e);
            }
        }
    }

    void resetFailed(T object, Throwable error) {
        PoolEvent.ResetFailed<T> event = new PoolEvent.ResetFailed<>(name, object, error);
        for (int i = 0; i < listeners.length; i++) {
            try {
                listeners[i].resetFailed(event);
            } catch (Throwable e) {
                failed(i, e);
            }
        }
    }

    void destroyed(T object, DestroyReason reason, long ageMillis, long timesAcquired, Throwable destroyError) {
        PoolEvent.Destroyed<T> event = new PoolEvent.Destroyed<>(name, object, reason,
                Duration.ofMillis(Math.max(0, ageMillis)), timesAcquired, destroyError);
        for (int i = 0; i < listeners.length; i++) {
            try {
                listeners[i].destroyed(event);
            } catch (Throwable e) {
                failed(i, e);
            }
        }
    }

    void leakSuspected(T object, long heldMillis, Throwable acquiredAt) {
        PoolEvent.LeakSuspected<T> event = new PoolEvent.LeakSuspected<>(name, object, Duration.ofMillis(heldMillis),
                acquiredAt);
        for (int i = 0; i < listeners.length; i++) {
            try {
                listeners[i].leakSuspected(event);
            } catch (Throwable e) {
                failed(i, e);
            }
        }
    }

    /**
     * An acquire starts waiting; on its subscribing thread, before anyone else can see it.
     *
     * @return what follows it, or null if no listener wants to
     */
    @SuppressWarnings("unchecked")
    Wait<T> waitStarted(ContextView context) {
        PoolEvent.AcquireWaitStarted event = new PoolEvent.AcquireWaitStarted(name, context);
        PoolListener.AcquireWait<T>[] handles = null;
        for (int i = 0; i < listeners.length; i++) {
            try {
                PoolListener.AcquireWait<T> handle = listeners[i].acquireWaitStarted(event);
                if (handle != null) {
                    if (handles == null) {
                        handles = new PoolListener.AcquireWait[listeners.length];
                    }
                    handles[i] = handle;
                }
            } catch (Throwable e) {
                failed(i, e);
            }
        }
        return handles == null ? null : new Wait<>(this, handles);
    }

    /**
     * The listeners' handles of one waiting acquire. Its owner (the {@link Borrower}) calls
     * {@link #ended} once, from the party that ended the acquire; {@link #created} comes before,
     * from the creation made for it.
     *
     * @param <T> the type of the pooled objects
     */
    static final class Wait<T> {

        private final ListenerDispatch<T> dispatch;
        /** Indexed like the listeners; null where a listener does not follow this acquire. */
        private final PoolListener.AcquireWait<T>[] handles;

        private Wait(ListenerDispatch<T> dispatch, PoolListener.AcquireWait<T>[] handles) {
            this.dispatch = dispatch;
            this.handles = handles;
        }

        void created(PoolEvent.Created<T> event) {
            for (int i = 0; i < handles.length; i++) {
                if (handles[i] != null) {
                    try {
                        handles[i].created(event);
                    } catch (Throwable e) {
                        dispatch.failed(i, e);
                    }
                }
            }
        }

        void ended(PoolEvent.AcquireOutcome outcome, long waitNanos, Throwable error) {
            PoolEvent.AcquireWaitEnded event = new PoolEvent.AcquireWaitEnded(dispatch.name, outcome,
                    Duration.ofNanos(waitNanos), error);
            for (int i = 0; i < handles.length; i++) {
                if (handles[i] != null) {
                    try {
                        handles[i].ended(event);
                    } catch (Throwable e) {
                        dispatch.failed(i, e);
                    }
                }
            }
        }
    }
}
