package dev.reactivepool.micrometer;

import dev.reactivepool.PoolListener;
import io.micrometer.observation.ObservationRegistry;

/**
 * Micrometer Observation (and so tracing) of a pool: a {@link PoolListener} that turns every
 * acquire that has to wait into an observation, so that a trace shows the time spent waiting for
 * an object (a connection) as its own span. Register it with
 * {@code Pool.builder(..).listener(PoolObservation.listener(registry))}. Needs
 * {@code io.micrometer:micrometer-observation} on the class path (an optional dependency of
 * reactive-pool).
 *
 * <table>
 *   <caption>What is observed</caption>
 *   <tr><th>what</th><th>name</th><th>details</th></tr>
 *   <tr><td>an acquire that waits (for a release, a new object or a validation)</td>
 *       <td>observation {@value #ACQUIRE_WAIT}</td>
 *       <td>low-cardinality keys {@value #POOL_KEY} (the pool's name) and {@value #OUTCOME_KEY}
 *       ({@code acquired}, {@code timeout}, {@code cancelled}, {@code error}); the error for
 *       timeouts and errors; its parent is the observation of the acquirer (see below)</td></tr>
 *   <tr><td>an object created for that acquire</td><td>event {@value #CREATED_EVENT}</td>
 *       <td>on the acquire's observation</td></tr>
 *   <tr><td>an object created for the idle set, an object destroyed</td>
 *       <td>events {@value #CREATED_EVENT}, {@value #DESTROYED_EVENT}</td>
 *       <td>on the registry's current observation of the thread, if there is one; otherwise
 *       none (they mostly happen in the background, outside any request)</td></tr>
 * </table>
 *
 * <p>The parent: the observation in the acquirer's Reactor context under the key
 * {@value #REACTOR_CONTEXT_KEY} (Micrometer's {@code ObservationThreadLocalAccessor.KEY}, where
 * Reactor's {@code tap(Micrometer.observation(..))} and Spring's WebFlux instrumentation put it),
 * else the registry's current observation on the subscribing thread.
 *
 * <p>Cost: an acquire served at once from the idle set creates no observation; with a no-op
 * registry nothing is created at all.
 */
public final class PoolObservation {

    /** The observation of an acquire that waits. */
    public static final String ACQUIRE_WAIT = "reactivepool.acquire.wait";
    /** Low-cardinality key: the pool's name. */
    public static final String POOL_KEY = "pool";
    /** Low-cardinality key: how the acquire ended. */
    public static final String OUTCOME_KEY = "outcome";
    /** Event: a new object was created. */
    public static final String CREATED_EVENT = "reactivepool.created";
    /** Event: an object was destroyed; its contextual name gives the reason. */
    public static final String DESTROYED_EVENT = "reactivepool.destroyed";
    /**
     * The Reactor context key of the parent observation: the value of Micrometer's
     * {@code ObservationThreadLocalAccessor.KEY} (copied, so that context-propagation need not be
     * on the class path).
     */
    public static final String REACTOR_CONTEXT_KEY = "micrometer.observation";

    private PoolObservation() {
    }

    /**
     * A listener that reports a pool's waiting acquires, creations and destructions to
     * {@code registry}.
     *
     * @param registry the observation registry (a no-op one makes the listener free)
     * @param <T>      the type of the pooled objects
     * @return a listener to register with {@code PoolBuilder.listener}
     */
    public static <T> PoolListener<T> listener(ObservationRegistry registry) {
        return new ObservingListener<>(registry);
    }
}
