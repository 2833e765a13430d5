package dev.reactivepool.kotlin

import dev.reactivepool.IdleOrder
import dev.reactivepool.InvalidPoolConfigurationException
import dev.reactivepool.Pool
import dev.reactivepool.PoolBuilder
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.reactor.mono
import reactor.core.scheduler.Scheduler
import java.util.function.Function
import java.util.function.Predicate
import kotlin.coroutines.CoroutineContext
import kotlin.time.Duration
import kotlin.time.toJavaDuration

/**
 * Builds a [Pool] with a Kotlin DSL whose callbacks are `suspend` functions:
 *
 * ```kotlin
 * val pool: Pool<Conn> = reactivePool {
 *     allocator { connect() }
 *     validator { it.ping() }
 *     resetter { it.rollback() }
 *     destroyer { it.close() }
 *     maxSize = 10
 *     acquireTimeout = 5.seconds
 * }
 * ```
 *
 * It delegates to the Java [PoolBuilder]: every option has the same meaning, default and range,
 * an option left unset keeps the Java default, and [build][PoolBuilder.build] checks them all.
 *
 * @param configure sets the options; [ReactivePoolSpec.allocator] is required
 * @return a new pool, started empty
 * @throws InvalidPoolConfigurationException naming the first option out of its range, with the
 *         same message as the Java builder
 * @throws NullPointerException with the message `allocator` if no allocator was given
 * @throws InvalidPoolConfigurationException also if [ReactivePoolSpec.callbackContext] contains a [kotlinx.coroutines.Job]
 */
public fun <T : Any> reactivePool(configure: ReactivePoolSpec<T>.() -> Unit): Pool<T> =
    ReactivePoolSpec<T>().apply(configure).build()

/** Marks the receiver of [reactivePool]'s block, so that inner lambdas cannot set its options by mistake. */
@DslMarker
public annotation class ReactivePoolDsl

/**
 * The options of [reactivePool]. Each property is null until set; null keeps the default of the
 * Java [PoolBuilder] (given in brackets). Durations are [kotlin.time.Duration]s, checked as the
 * Java builder checks its `java.time.Duration`s (at most 365 days).
 *
 * The `suspend` callbacks are bridged to Reactor with `mono {}` in [callbackContext]; they see
 * the Reactor context of the acquirer they run for as their
 * [ReactorContext][kotlinx.coroutines.reactor.ReactorContext] (the allocator of an object created
 * for it, the validation of an object about to be leased to it).
 *
 * @param T the type of the pooled objects
 */
@ReactivePoolDsl
public class ReactivePoolSpec<T : Any> internal constructor() {

    private var allocator: (suspend () -> T)? = null
    private var validator: (suspend (T) -> Boolean)? = null
    private var resetter: (suspend (T) -> Unit)? = null
    private var destroyer: (suspend (T) -> Unit)? = null
    private var evictionPredicate: ((T) -> Boolean)? = null
    private var backoff: Pair<Duration, Duration>? = null

    /** The pool's name, in log lines, exception messages and metric tags; must not hold secrets (default: `reactive-pool-N`). */
    public var name: String? = null

    /** The hard limit on live objects, 1 to 100,000 [10]. */
    public var maxSize: Int? = null

    /** How many idle objects the pool keeps ready, 0 to [maxIdle] [0]. */
    public var minIdle: Int? = null

    /** The idle cap, [minIdle] to [maxSize] [[maxSize]]. */
    public var maxIdle: Int? = null

    /** How many acquirers may wait at once, at least 0 (default: unbounded). */
    public var maxPending: Int? = null

    /** The timeout of an acquire: waiting, creating and validating; positive [30 s]. */
    public var acquireTimeout: Duration? = null

    /** How long the allocator may take; positive [30 s]. */
    public var createTimeout: Duration? = null

    /** How long the destroyer may take; positive [10 s]. */
    public var destroyTimeout: Duration? = null

    /** How long a validation may take; positive [5 s]. */
    public var validationTimeout: Duration? = null

    /** Skips validation of an object released less than this long ago; zero or positive [zero: always validate]. */
    public var skipValidationWithin: Duration? = null

    /** How long a reset may take; positive [5 s]. */
    public var resetTimeout: Duration? = null

    /** Destroys objects idle longer than this; zero (disabled) or positive (default: disabled). */
    public var idleTimeout: Duration? = null

    /** Destroys objects older than this, minus a random part of [maxLifetimeJitter]; zero (disabled) or positive (default: disabled). */
    public var maxLifetime: Duration? = null

    /** The random part taken off [maxLifetime] per object, from zero to less than [maxLifetime] (default: zero). */
    public var maxLifetimeJitter: Duration? = null

    /** Destroys an object when it is returned after this many leases; at least 1 (default: unlimited). */
    public var maxUses: Long? = null

    /** The order in which idle objects are reused [[IdleOrder.FIFO]]. */
    public var idleOrder: IdleOrder? = null

    /** The period of the background eviction, at least 1 ms [1 s]. */
    public var evictionInterval: Duration? = null

    /** The scheduler for timeouts, backoff and eviction, whose clock is the pool's (default: `Schedulers.parallel()`). */
    public var timerScheduler: Scheduler? = null

    /** Emits leases on this scheduler instead of the thread that made the object available [none: no thread hop]. */
    public var deliveryScheduler: Scheduler? = null

    /** Reports leases held longer than this with the acquirer's stack; zero (disabled) or positive (default: disabled). */
    public var leakDetectionThreshold: Duration? = null

    /** How long closing waits for leased objects; zero or positive [30 s]. */
    public var closeGracePeriod: Duration? = null

    /**
     * Times the hold of one lease in n, and of each object's first lease in each eviction interval,
     * for the hold-time metric; 0 (never), 1 (every lease) or more [64].
     */
    public var holdTimeSampling: Int? = null

    /** Watches leases for being lost by Reactor without any hook (a `Cleaner` per lease) (default: false). */
    public var lostLeaseDetection: Boolean? = null

    /**
     * Where the `suspend` callbacks run [[Dispatchers.Unconfined]: on the pool's thread until
     * their first suspension, with no thread hop, like the Java callbacks]. Callbacks must not
     * block either way. It must not contain a [Job]: each callback is a coroutine of its own.
     */
    public var callbackContext: CoroutineContext = Dispatchers.Unconfined

    /**
     * Creates a new object; required. Called once per object; an exception fails the creation
     * (the acquirer it was made for gets it, and creation backs off).
     *
     * @param create makes one object
     */
    public fun allocator(create: suspend () -> T) {
        allocator = create
    }

    /**
     * Checks an idle object before it is leased; false or an exception destroys it and another is
     * drawn, invisibly to the acquirer [none].
     *
     * @param check true if the object is usable
     */
    public fun validator(check: suspend (T) -> Boolean) {
        validator = check
    }

    /**
     * Runs on every returned object before it is reused, for example a rollback; an exception
     * destroys the object [none].
     *
     * @param reset cleans the object up
     */
    public fun resetter(reset: suspend (T) -> Unit) {
        resetter = reset
    }

    /**
     * Destroys an object, for example closes a connection [does nothing].
     *
     * @param destroy releases the object's resources
     */
    public fun destroyer(destroy: suspend (T) -> Unit) {
        destroyer = destroy
    }

    /**
     * A cheap synchronous test: an idle object that matches is destroyed instead of being leased,
     * and by the background eviction. It must not block [none].
     *
     * @param test true for an idle object to destroy
     */
    public fun evictionPredicate(test: (T) -> Boolean) {
        evictionPredicate = test
    }

    /**
     * The backoff between creation attempts while creation fails: [initial], doubling up to
     * [max], ±25% jitter [100 ms to 5 s].
     *
     * @param initial positive
     * @param max at least [initial]
     */
    public fun creationBackoff(initial: Duration, max: Duration) {
        backoff = initial to max
    }

    internal fun build(): Pool<T> {
        val context = callbackContext
        if (context[Job] != null) {
            throw InvalidPoolConfigurationException("callbackContext", "must not contain a Job, was $context")
        }
        val create = allocator
        // Pool.builder(null) fails as the Java builder does for a missing allocator.
        val builder: PoolBuilder<T> = Pool.builder(if (create == null) null else mono(context) { create() })
        name?.let { builder.name(it) }
        maxSize?.let { builder.maxSize(it) }
        minIdle?.let { builder.minIdle(it) }
        maxIdle?.let { builder.maxIdle(it) }
        maxPending?.let { builder.maxPending(it) }
        acquireTimeout?.let { builder.acquireTimeout(it.toJavaDuration()) }
        createTimeout?.let { builder.createTimeout(it.toJavaDuration()) }
        destroyTimeout?.let { builder.destroyTimeout(it.toJavaDuration()) }
        validationTimeout?.let { builder.validationTimeout(it.toJavaDuration()) }
        skipValidationWithin?.let { builder.skipValidationWithin(it.toJavaDuration()) }
        resetTimeout?.let { builder.resetTimeout(it.toJavaDuration()) }
        idleTimeout?.let { builder.idleTimeout(it.toJavaDuration()) }
        if (maxLifetime != null || maxLifetimeJitter != null) {
            builder.maxLifetime(
                (maxLifetime ?: Duration.ZERO).toJavaDuration(),
                (maxLifetimeJitter ?: Duration.ZERO).toJavaDuration(),
            )
        }
        maxUses?.let { builder.maxUses(it) }
        idleOrder?.let { builder.idleOrder(it) }
        evictionInterval?.let { builder.evictionInterval(it.toJavaDuration()) }
        timerScheduler?.let { builder.timerScheduler(it) }
        deliveryScheduler?.let { builder.deliveryScheduler(it) }
        leakDetectionThreshold?.let { builder.leakDetectionThreshold(it.toJavaDuration()) }
        backoff?.let { (initial, max) -> builder.creationBackoff(initial.toJavaDuration(), max.toJavaDuration()) }
        closeGracePeriod?.let { builder.closeGracePeriod(it.toJavaDuration()) }
        holdTimeSampling?.let { builder.holdTimeSampling(it) }
        lostLeaseDetection?.let { builder.lostLeaseDetection(it) }
        validator?.let { check -> builder.validator(Function { obj -> mono(context) { check(obj) } }) }
        resetter?.let { reset -> builder.resetter(Function { obj -> mono<Void>(context) { reset(obj); null } }) }
        destroyer?.let { destroy -> builder.destroyer(Function { obj -> mono<Void>(context) { destroy(obj); null } }) }
        evictionPredicate?.let { test -> builder.evictionPredicate(Predicate { obj -> test(obj) }) }
        return builder.build()
    }
}
