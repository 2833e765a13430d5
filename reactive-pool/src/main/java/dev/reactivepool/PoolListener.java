package dev.reactivepool;

/**
 * Receives a pool's lifecycle events; registered with {@link PoolBuilder#listener(PoolListener)}.
 * Every method has a no-op default, so a listener implements only what it needs, and later
 * versions may add events without breaking it.
 *
 * <p>Rules:
 * <ul>
 *   <li>Methods are called synchronously on the pool's thread of the moment (the acquiring,
 *       releasing, allocator's, validator's or timer thread; see {@code docs/events-and-tracing.md}),
 *       so they must be quick and must never block. Hand slow work to a queue or a scheduler.</li>
 *   <li>A listener cannot break the pool: an exception it throws is logged at WARN once per
 *       listener (later ones at DEBUG) and ignored; the pool's bookkeeping never depends on it.</li>
 *   <li>The events of one object are delivered one at a time, in the order of its life
 *       (created, then acquired and released any number of times, then destroyed); a
 *       {@link PoolEvent.LeakSuspected} comes from the background task and may race the release.</li>
 *   <li>A listener must not release, invalidate or otherwise act on the object it is told about.</li>
 * </ul>
 *
 * @param <T> the type of the pooled objects
 */
public interface PoolListener<T> {

    /**
     * A new object was created, before it is leased or idle.
     *
     * @param event the event
     */
    default void created(PoolEvent.Created<T> event) {
    }

    /**
     * An attempt to create an object failed.
     *
     * @param event the event
     */
    default void creationFailed(PoolEvent.CreationFailed event) {
    }

    /**
     * A lease was handed to its user (before the user's {@code onNext}).
     *
     * @param event the event
     */
    default void acquired(PoolEvent.Acquired<T> event) {
    }

    /**
     * A lease ended by release or invalidation.
     *
     * @param event the event
     */
    default void released(PoolEvent.Released<T> event) {
    }

    /**
     * An idle object failed validation.
     *
     * @param event the event
     */
    default void validationFailed(PoolEvent.ValidationFailed<T> event) {
    }

    /**
     * A returned object's reset failed.
     *
     * @param event the event
     */
    default void resetFailed(PoolEvent.ResetFailed<T> event) {
    }

    /**
     * An object was destroyed.
     *
     * @param event the event
     */
    default void destroyed(PoolEvent.Destroyed<T> event) {
    }

    /**
     * Leak detection reported a lease held past its threshold.
     *
     * @param event the event
     */
    default void leakSuspected(PoolEvent.LeakSuspected<T> event) {
    }

    /**
     * An acquire could not be served at once and starts waiting. An acquire served from the idle
     * set without validation calls nothing here (it costs no clock read and no allocation).
     *
     * @param event the event, with the acquirer's Reactor context
     * @return a callback told how this acquire ends, or null (the default) to ignore it
     */
    default AcquireWait<T> acquireWaitStarted(PoolEvent.AcquireWaitStarted event) {
        return null;
    }

    /**
     * Follows one acquire that waits, from {@link PoolListener#acquireWaitStarted} to its end.
     * {@link #ended} is called exactly once, possibly on another thread than the start.
     *
     * @param <T> the type of the pooled objects
     */
    interface AcquireWait<T> {

        /**
         * A new object was created for this acquire; called before {@link #ended}, unless the
         * acquire ended (timed out, cancelled) while its object was being created: then it may
         * come after {@link #ended}, or not at all.
         *
         * @param event the event, as also given to {@link PoolListener#created}
         */
        default void created(PoolEvent.Created<T> event) {
        }

        /**
         * The acquire ended.
         *
         * @param event how and after how long
         */
        void ended(PoolEvent.AcquireWaitEnded event);
    }
}
