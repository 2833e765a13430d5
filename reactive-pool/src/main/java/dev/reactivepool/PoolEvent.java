package dev.reactivepool;

import java.time.Duration;

import reactor.util.context.ContextView;

/**
 * The events a {@link PoolListener} receives, one record per kind. Every event names its pool.
 * Events that concern one object carry the object itself (for the listener's use; the records'
 * {@code toString()} never renders it, as an object may render credentials).
 *
 * <p>Records may gain components in later versions; read them through their accessors.
 */
public sealed interface PoolEvent {

    /** @return the name of the pool the event comes from */
    String pool();

    /**
     * A new object was created.
     *
     * @param pool         the pool's name
     * @param object       the new object
     * @param creationTime from the subscription to the allocator to its object (after any backoff)
     * @param <T>          the type of the pooled objects
     */
    record Created<T>(String pool, T object, Duration creationTime) implements PoolEvent {
        @Override
        public String toString() {
            return "Created[pool=" + pool + ", creationTime=" + creationTime + "]";
        }
    }

    /**
     * An attempt to create an object failed: the allocator failed, timed out
     * ({@code createTimeout}), emitted null or completed empty.
     *
     * @param pool        the pool's name
     * @param error       the allocator's error, or the pool's error describing the failure
     * @param attemptTime from the subscription to the allocator to the failure
     */
    record CreationFailed(String pool, Throwable error, Duration attemptTime) implements PoolEvent {
    }

    /**
     * A lease was handed to its user.
     *
     * @param pool          the pool's name
     * @param object        the leased object
     * @param waitTime      from the subscription to the acquire to the lease; zero for an acquire
     *                      served at once from the idle set (no clock is read on that path)
     * @param timesAcquired leases of this object so far, this one included
     * @param <T>           the type of the pooled objects
     */
    record Acquired<T>(String pool, T object, Duration waitTime, long timesAcquired) implements PoolEvent {
        @Override
        public String toString() {
            return "Acquired[pool=" + pool + ", waitTime=" + waitTime + ", timesAcquired=" + timesAcquired + "]";
        }
    }

    /**
     * A lease ended: its holder released or invalidated it (before any reset).
     *
     * @param pool        the pool's name
     * @param object      the object
     * @param holdTime    from the lease's emission to its end
     * @param invalidated true if the lease ended by {@link Lease#invalidate()}
     * @param <T>         the type of the pooled objects
     */
    record Released<T>(String pool, T object, Duration holdTime, boolean invalidated) implements PoolEvent {
        @Override
        public String toString() {
            return "Released[pool=" + pool + ", holdTime=" + holdTime + ", invalidated=" + invalidated + "]";
        }
    }

    /**
     * An idle object failed validation before a lease; it is destroyed and another one drawn.
     *
     * @param pool   the pool's name
     * @param object the object
     * @param error  the validator's error or timeout, or null when it answered false or nothing
     * @param <T>    the type of the pooled objects
     */
    record ValidationFailed<T>(String pool, T object, Throwable error) implements PoolEvent {
        @Override
        public String toString() {
            return "ValidationFailed[pool=" + pool + ", error=" + error + "]";
        }
    }

    /**
     * A returned object's reset failed or timed out; it is destroyed.
     *
     * @param pool   the pool's name
     * @param object the object
     * @param error  the resetter's error or timeout
     * @param <T>    the type of the pooled objects
     */
    record ResetFailed<T>(String pool, T object, Throwable error) implements PoolEvent {
        @Override
        public String toString() {
            return "ResetFailed[pool=" + pool + ", error=" + error + "]";
        }
    }

    /**
     * An object was destroyed: its destroyer ended (or failed, or timed out), and its place in
     * {@code maxSize} is about to be freed.
     *
     * @param pool          the pool's name
     * @param object        the object
     * @param reason        why the pool destroyed it
     * @param age           from its creation to its destruction (pool clock, millisecond resolution)
     * @param timesAcquired how many leases it served
     * @param destroyError  the destroyer's error or timeout, or null if it succeeded
     * @param <T>           the type of the pooled objects
     */
    record Destroyed<T>(String pool, T object, DestroyReason reason, Duration age, long timesAcquired,
                        Throwable destroyError) implements PoolEvent {
        @Override
        public String toString() {
            return "Destroyed[pool=" + pool + ", reason=" + reason + ", age=" + age + ", timesAcquired="
                    + timesAcquired + ", destroyError=" + destroyError + "]";
        }
    }

    /**
     * Leak detection ({@code leakDetectionThreshold}) found a lease held past the threshold;
     * reported once per lease.
     *
     * @param pool       the pool's name
     * @param object     the leased object
     * @param heldFor    how long the lease has been held
     * @param acquiredAt the stack of the code that acquired it
     * @param <T>        the type of the pooled objects
     */
    record LeakSuspected<T>(String pool, T object, Duration heldFor, Throwable acquiredAt) implements PoolEvent {
        @Override
        public String toString() {
            return "LeakSuspected[pool=" + pool + ", heldFor=" + heldFor + "]";
        }
    }

    /**
     * An acquire could not be served at once from the idle set: it waits for a release, for a
     * new object, or for the validation of an idle one.
     *
     * @param pool    the pool's name
     * @param context the acquirer's Reactor context (where a tracing parent is found)
     */
    record AcquireWaitStarted(String pool, ContextView context) implements PoolEvent {
        @Override
        public String toString() {
            return "AcquireWaitStarted[pool=" + pool + "]";
        }
    }

    /**
     * An acquire that waited ended.
     *
     * @param pool     the pool's name
     * @param outcome  how it ended
     * @param waitTime from its subscription to its end
     * @param error    the acquire's error for {@link AcquireOutcome#TIMEOUT} and
     *                 {@link AcquireOutcome#ERROR}, else null
     */
    record AcquireWaitEnded(String pool, AcquireOutcome outcome, Duration waitTime, Throwable error)
            implements PoolEvent {
    }

    /** How an acquire that waited ended. */
    enum AcquireOutcome {
        /** A lease was emitted. */
        ACQUIRED,
        /** The acquire timeout fired. */
        TIMEOUT,
        /** The acquirer cancelled. */
        CANCELLED,
        /** It failed: pending limit, pool closed, creation failure, no valid object. */
        ERROR
    }
}
