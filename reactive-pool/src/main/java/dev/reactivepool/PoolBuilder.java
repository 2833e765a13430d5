package dev.reactivepool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.reactivepool.internal.DefaultPool;
import dev.reactivepool.internal.OptionRule;
import dev.reactivepool.internal.PoolConfig;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Configures and builds a {@link Pool}. Obtained from {@link Pool#builder(Publisher)}.
 *
 * <p>Setters only record values; {@link #build()} checks them all and throws
 * {@link InvalidPoolConfigurationException} naming the first option out of range. Durations are
 * at most 365 days. A builder can build several independent pools.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th></tr>
 *   <tr><td>{@link #maxSize(int)}</td><td>10</td></tr>
 *   <tr><td>{@link #minIdle(int)}</td><td>0</td></tr>
 *   <tr><td>{@link #maxIdle(int)}</td><td>{@code maxSize}</td></tr>
 *   <tr><td>{@link #maxPending(int)}</td><td>unbounded</td></tr>
 *   <tr><td>{@link #acquireTimeout(Duration)}</td><td>30 s</td></tr>
 *   <tr><td>{@link #createTimeout(Duration)}</td><td>30 s</td></tr>
 *   <tr><td>{@link #destroyTimeout(Duration)}</td><td>10 s</td></tr>
 *   <tr><td>{@link #validator(Function)}, {@link #validationTimeout(Duration)},
 *       {@link #skipValidationWithin(Duration)}</td><td>none, 5 s, 0 (always validate)</td></tr>
 *   <tr><td>{@link #resetter(Function)}, {@link #resetTimeout(Duration)}</td><td>none, 5 s</td></tr>
 *   <tr><td>{@link #destroyer(Function)}</td><td>does nothing</td></tr>
 *   <tr><td>{@link #evictionPredicate(Predicate)}</td><td>none</td></tr>
 *   <tr><td>{@link #idleTimeout(Duration)}</td><td>disabled</td></tr>
 *   <tr><td>{@link #maxLifetime(Duration, Duration)}</td><td>disabled</td></tr>
 *   <tr><td>{@link #maxUses(long)}</td><td>unlimited</td></tr>
 *   <tr><td>{@link #idleOrder(IdleOrder)}</td><td>FIFO</td></tr>
 *   <tr><td>{@link #evictionInterval(Duration)}</td><td>1 s</td></tr>
 *   <tr><td>{@link #timerScheduler(Scheduler)}</td><td>{@link Schedulers#parallel()}</td></tr>
 *   <tr><td>{@link #deliveryScheduler(Scheduler)}</td><td>none: no thread hop</td></tr>
 *   <tr><td>{@link #leakDetectionThreshold(Duration)}</td><td>disabled</td></tr>
 *   <tr><td>{@link #creationBackoff(Duration, Duration)}</td><td>100 ms doubling to 5 s, ±25% jitter</td></tr>
 *   <tr><td>{@link #closeGracePeriod(Duration)}</td><td>30 s</td></tr>
 *   <tr><td>{@link #holdTimeSampling(int)}</td><td>64</td></tr>
 *   <tr><td>{@link #lostLeaseDetection(boolean)}</td><td>false</td></tr>
 *   <tr><td>{@link #maxLeasesPerObject(int)}</td><td>1</td></tr>
 *   <tr><td>{@link #affinity(Affinity)}, {@link #affinity(Function)}</td><td>{@link Affinity#NONE}</td></tr>
 *   <tr><td>{@link #name(String)}</td><td>{@code reactive-pool-N}</td></tr>
 *   <tr><td>{@link #maxSizeLimit(int)}</td><td>{@code maxSize}</td></tr>
 *   <tr><td>{@link #registerJmx(boolean)}</td><td>false</td></tr>
 *   <tr><td>{@link #listener(PoolListener)}</td><td>none</td></tr>
 * </table>
 *
 * @param <T> the type of the pooled objects
 */
public final class PoolBuilder<T> {

    private static final AtomicInteger POOL_COUNTER = new AtomicInteger();

    private final Publisher<? extends T> allocator;
    private String name;
    private int maxSize = OptionRule.DEFAULT_MAX_SIZE;
    private int minIdle = 0;
    private Integer maxIdle;
    private int maxPending = Integer.MAX_VALUE;
    private Duration acquireTimeout = Duration.ofSeconds(30);
    private Duration createTimeout = Duration.ofSeconds(30);
    private Duration destroyTimeout = Duration.ofSeconds(10);
    private Function<? super T, ? extends Publisher<Boolean>> validator;
    private Duration validationTimeout = Duration.ofSeconds(5);
    private Duration skipValidationWithin = Duration.ZERO;
    private Function<? super T, ? extends Publisher<Void>> resetter;
    private Duration resetTimeout = Duration.ofSeconds(5);
    private Function<? super T, ? extends Publisher<Void>> destroyer = t -> Mono.empty();
    private Predicate<? super T> evictionPredicate;
    private Duration idleTimeout = Duration.ZERO;
    private Duration maxLifetime = Duration.ZERO;
    private Duration maxLifetimeJitter = Duration.ZERO;
    private long maxUses = Long.MAX_VALUE;
    private IdleOrder idleOrder = IdleOrder.FIFO;
    private Duration evictionInterval = Duration.ofSeconds(1);
    private Scheduler timerScheduler = Schedulers.parallel();
    private Scheduler deliveryScheduler;
    private Duration leakDetectionThreshold = Duration.ZERO;
    private Duration backoffInitial = OptionRule.DEFAULT_BACKOFF_INITIAL;
    private Duration backoffMax = OptionRule.DEFAULT_BACKOFF_MAX;
    private Duration closeGracePeriod = Duration.ofSeconds(30);
    private int holdTimeSampling = 64;
    private boolean lostLeaseDetection;
    private int maxLeasesPerObject = 1;
    private Integer maxSizeLimit;
    private boolean registerJmx;
    private final List<PoolListener<? super T>> listeners = new ArrayList<>();
    private Affinity affinity = Affinity.NONE;
    private Function<? super T, ? extends Executor> affinityExecutor;

    PoolBuilder(Publisher<? extends T> allocator) {
        this.allocator = Objects.requireNonNull(allocator, "allocator");
    }

    /**
     * The pool's name, used in log lines, exception messages and metric tags. Must not hold
     * secrets.
     *
     * @param name a non-blank name; default {@code reactive-pool-N}
     * @return this builder
     */
    public PoolBuilder<T> name(String name) {
        this.name = name;
        return this;
    }

    /**
     * The hard limit on live objects: idle, leased, and those being created, validated, reset or
     * destroyed all count.
     *
     * @param maxSize from 1 to 100,000; default 10
     * @return this builder
     */
    public PoolBuilder<T> maxSize(int maxSize) {
        this.maxSize = maxSize;
        return this;
    }

    /**
     * How many idle objects the pool keeps ready: restored in the background after evictions and
     * failures, and created by {@link Pool#warmup()}.
     *
     * @param minIdle from 0 to {@code maxIdle}; default 0
     * @return this builder
     */
    public PoolBuilder<T> minIdle(int minIdle) {
        this.minIdle = minIdle;
        return this;
    }

    /**
     * The idle cap: a release that would leave more than {@code maxIdle} objects idle destroys
     * the object instead, so that a spike does not leave hundreds of idle objects behind.
     *
     * @param maxIdle from {@code minIdle} to {@code maxSize}; default {@code maxSize}
     * @return this builder
     */
    public PoolBuilder<T> maxIdle(int maxIdle) {
        this.maxIdle = maxIdle;
        return this;
    }

    /**
     * How many acquirers may wait at once; past it, {@link Pool#acquire()} fails at once with
     * {@link PoolExhaustedException}.
     *
     * @param maxPending at least 0 (0: never wait); default {@link Integer#MAX_VALUE} (unbounded)
     * @return this builder
     */
    public PoolBuilder<T> maxPending(int maxPending) {
        this.maxPending = maxPending;
        return this;
    }

    /**
     * The timeout of {@link Pool#acquire()}, covering waiting, creating and validating.
     *
     * @param acquireTimeout positive; default 30 s
     * @return this builder
     */
    public PoolBuilder<T> acquireTimeout(Duration acquireTimeout) {
        this.acquireTimeout = acquireTimeout;
        return this;
    }

    /**
     * How long the allocator may take to emit a new object before the attempt counts as failed.
     *
     * @param createTimeout positive; default 30 s
     * @return this builder
     */
    public PoolBuilder<T> createTimeout(Duration createTimeout) {
        this.createTimeout = createTimeout;
        return this;
    }

    /**
     * How long the destroyer may take; after it the object counts as destroyed and its place is
     * freed.
     *
     * @param destroyTimeout positive; default 10 s
     * @return this builder
     */
    public PoolBuilder<T> destroyTimeout(Duration destroyTimeout) {
        this.destroyTimeout = destroyTimeout;
        return this;
    }

    /**
     * An asynchronous check run on an idle object before it is leased. An object whose check
     * emits {@code false}, fails, completes empty or times out is destroyed and another one is
     * drawn (at most {@code maxSize + 1} tries), invisibly to the acquirer. An object created for
     * an acquirer is handed to it without validation.
     *
     * @param validator an async check; null for none (default)
     * @return this builder
     */
    public PoolBuilder<T> validator(Function<? super T, ? extends Publisher<Boolean>> validator) {
        this.validator = validator;
        return this;
    }

    /**
     * How long a validation may take before it counts as failed.
     *
     * @param validationTimeout positive; default 5 s
     * @return this builder
     */
    public PoolBuilder<T> validationTimeout(Duration validationTimeout) {
        this.validationTimeout = validationTimeout;
        return this;
    }

    /**
     * Skips validation of an object released less than this long ago: it was just in use, so it
     * is very likely alive. Measured with the timer scheduler's clock, read on release and
     * acquire only when a validator and a positive window are configured.
     *
     * @param window zero (always validate, the default) or positive
     * @return this builder
     */
    public PoolBuilder<T> skipValidationWithin(Duration window) {
        this.skipValidationWithin = window;
        return this;
    }

    /**
     * An asynchronous step run on every released object before it is reused, for example a
     * rollback. If it fails or times out the object is destroyed, never handed out dirty.
     *
     * @param resetter an async reset; null for none (default)
     * @return this builder
     */
    public PoolBuilder<T> resetter(Function<? super T, ? extends Publisher<Void>> resetter) {
        this.resetter = resetter;
        return this;
    }

    /**
     * How long a reset may take before it counts as failed.
     *
     * @param resetTimeout positive; default 5 s
     * @return this builder
     */
    public PoolBuilder<T> resetTimeout(Duration resetTimeout) {
        this.resetTimeout = resetTimeout;
        return this;
    }

    /**
     * How to destroy an object, for example close a connection.
     *
     * @param destroyer an async destroy step; default does nothing
     * @return this builder
     */
    public PoolBuilder<T> destroyer(Function<? super T, ? extends Publisher<Void>> destroyer) {
        this.destroyer = destroyer;
        return this;
    }

    /**
     * A cheap, synchronous test of an idle object: one that matches is destroyed instead of
     * being leased (checked on acquire) and by the background eviction, for example a network
     * connection the peer closed while it was idle. It must not block; it runs on the acquiring
     * thread and on the timer scheduler.
     *
     * @param evictionPredicate true for an idle object to destroy; null for none (default)
     * @return this builder
     */
    public PoolBuilder<T> evictionPredicate(Predicate<? super T> evictionPredicate) {
        this.evictionPredicate = evictionPredicate;
        return this;
    }

    /**
     * Destroys objects left idle longer than this. Checked by the background eviction every
     * {@linkplain #evictionInterval(Duration) eviction interval} and on acquire, with the pool's
     * coarse clock (resolution: the eviction interval).
     *
     * @param idleTimeout zero (disabled, the default) or positive
     * @return this builder
     */
    public PoolBuilder<T> idleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
        return this;
    }

    /**
     * Destroys objects older than {@code maxLifetime}, without jitter. See
     * {@link #maxLifetime(Duration, Duration)}.
     *
     * @param maxLifetime zero (disabled, the default) or positive
     * @return this builder
     */
    public PoolBuilder<T> maxLifetime(Duration maxLifetime) {
        return maxLifetime(maxLifetime, Duration.ZERO);
    }

    /**
     * Destroys objects older than their lifetime: {@code maxLifetime} minus a random part of
     * {@code jitter}, drawn per object so that objects created together do not all expire
     * together. A leased object is destroyed when it is returned, never taken from its user.
     *
     * @param maxLifetime zero (disabled, the default) or positive
     * @param jitter      from zero to less than {@code maxLifetime}
     * @return this builder
     */
    public PoolBuilder<T> maxLifetime(Duration maxLifetime, Duration jitter) {
        this.maxLifetime = maxLifetime;
        this.maxLifetimeJitter = jitter;
        return this;
    }

    /**
     * Destroys an object when it is returned after this many leases.
     *
     * @param maxUses at least 1; default {@link Long#MAX_VALUE} (unlimited)
     * @return this builder
     */
    public PoolBuilder<T> maxUses(long maxUses) {
        this.maxUses = maxUses;
        return this;
    }

    /**
     * The order in which idle objects are reused.
     *
     * @param idleOrder {@link IdleOrder#FIFO} (default) or {@link IdleOrder#LIFO}
     * @return this builder
     */
    public PoolBuilder<T> idleOrder(IdleOrder idleOrder) {
        this.idleOrder = idleOrder;
        return this;
    }

    /**
     * The period of the background task that advances the pool's coarse clock, evicts idle
     * objects past their idle timeout or lifetime, restores {@code minIdle} and reports leaks.
     *
     * @param evictionInterval at least 1 ms; default 1 s
     * @return this builder
     */
    public PoolBuilder<T> evictionInterval(Duration evictionInterval) {
        this.evictionInterval = evictionInterval;
        return this;
    }

    /**
     * The scheduler used for timeouts, backoff and background eviction; its clock is the pool's
     * clock (so a {@code VirtualTimeScheduler} drives the pool in tests).
     *
     * @param timerScheduler non-null; default {@link Schedulers#parallel()}
     * @return this builder
     */
    public PoolBuilder<T> timerScheduler(Scheduler timerScheduler) {
        this.timerScheduler = timerScheduler;
        return this;
    }

    /**
     * Emits leases on this scheduler instead of on the thread that made the object available
     * (the releasing thread, or the allocator's thread). Off by default: no thread hop.
     *
     * @param deliveryScheduler a scheduler, or null for no hop (default)
     * @return this builder
     */
    public PoolBuilder<T> deliveryScheduler(Scheduler deliveryScheduler) {
        this.deliveryScheduler = deliveryScheduler;
        return this;
    }

    /**
     * Reports, once, each lease held longer than this, with the stack trace of the code that
     * acquired it, through Reactor's {@code Loggers} (SLF4J when present) at WARN. Capturing the
     * stack costs a few microseconds per acquire, so it is off by default.
     *
     * @param threshold zero (disabled, the default) or positive
     * @return this builder
     */
    public PoolBuilder<T> leakDetectionThreshold(Duration threshold) {
        this.leakDetectionThreshold = threshold;
        return this;
    }

    /**
     * The backoff between creation attempts while creation fails: {@code initial}, doubling on
     * each consecutive failure up to {@code max}, with ±25% jitter. While creation is failing
     * only one attempt is in flight at a time; the first success ends the backoff.
     *
     * @param initial positive; default 100 ms
     * @param max     at least {@code initial}; default 5 s
     * @return this builder
     */
    public PoolBuilder<T> creationBackoff(Duration initial, Duration max) {
        this.backoffInitial = initial;
        this.backoffMax = max;
        return this;
    }

    /**
     * How long {@link Pool#close()} waits for leased objects to come back and be destroyed
     * before completing anyway.
     *
     * @param closeGracePeriod zero or positive; default 30 s
     * @return this builder
     */
    public PoolBuilder<T> closeGracePeriod(Duration closeGracePeriod) {
        this.closeGracePeriod = closeGracePeriod;
        return this;
    }

    /**
     * Times the hold of one lease in {@code n} (by the object's lease count) for the hold-time
     * metric, and also each object's first lease in each tick of the pool's coarse clock
     * ({@link #evictionInterval(Duration)}), so that a pool leasing a few times a second has
     * (nearly) every hold timed while a busy one pays the two clock reads per timed lease rarely.
     *
     * @param n 0 (never), 1 (every lease) or more; default 64
     * @return this builder
     */
    public PoolBuilder<T> holdTimeSampling(int n) {
        this.holdTimeSampling = n;
        return this;
    }

    /**
     * Watches every lease for being garbage-collected while still leased, which happens when
     * Reactor loses a lease between the pool's emission and the subscriber without telling any
     * hook ({@code publishOn} clears a value it was about to deliver when its subscriber cancels;
     * see {@link DroppedLeases} for the drops that hooks do see). A lost lease whose
     * {@link Lease#get()} was never called goes back to the pool (no one can hold its object) and
     * counts in {@link PoolMetrics#reclaimed()}; one whose object was taken out is reported at
     * WARN and counted in {@link PoolMetrics#leaks()}, its object not reused. It costs one
     * {@link java.lang.ref.Cleaner} registration per lease (an allocation and a short critical
     * section in the JDK), so it is off by default; the R2DBC adapter watches its connections
     * on its own.
     *
     * @param enabled true to watch leases; default false
     * @return this builder
     */
    public PoolBuilder<T> lostLeaseDetection(boolean enabled) {
        this.lostLeaseDetection = enabled;
        return this;
    }

    /**
     * Lets up to {@code k} leases share one object at the same time, for objects that serve
     * several users at once (an HTTP/2 or multiplexed connection, a thread-safe client). With
     * {@code k > 1} an acquire gets the live object with the fewest leases that still has room
     * (an idle object first; among leased ones the first found with the fewest leases); a new
     * object is created only when every live object holds {@code k} leases and {@code maxSize}
     * allows; otherwise the acquirer waits, first come first served. An object is idle when it
     * has no lease: {@code maxIdle}, {@code minIdle} and the idle timeout count such objects.
     * The validator runs when an idle object gets its first lease, the resetter when its last
     * lease ends; {@link #maxUses(long)} counts leases; an object past its lifetime or
     * invalidated by one holder takes no new lease and is destroyed when its last lease ends
     * (the other holders keep it until then). Each {@link Lease} is still released or
     * invalidated once. {@link PoolMetrics#leased()} counts objects with a lease,
     * {@link PoolMetrics#leases()} the leases. See {@code docs/shared-leases.md}.
     *
     * @param k leases one object may have at once, from 1 to 65535; default 1 (one user per object)
     * @return this builder
     */
    public PoolBuilder<T> maxLeasesPerObject(int k) {
        this.maxLeasesPerObject = k;
        return this;
    }

    /**
     * Whether idle objects are kept per thread ({@link Affinity#THREAD}: the thread that created
     * or last released an object) or shared by all threads ({@link Affinity#NONE}, strict global
     * FIFO). With {@code THREAD}, an acquire is served first by an idle object of its own thread,
     * touching no state written by other threads, and otherwise takes the object idle longest
     * elsewhere: no acquirer waits while any object is idle, waiters are still served in arrival
     * order, and {@code maxSize}, {@code maxIdle} and {@code minIdle} stay pool-wide. Needs
     * {@link IdleOrder#FIFO}. For {@link Affinity#EXECUTOR} use {@link #affinity(Function)}. See
     * {@code docs/affinity.md}.
     *
     * @param affinity {@link Affinity#NONE} (default), {@link Affinity#THREAD}, or
     *                 {@link Affinity#EXECUTOR} (after {@link #affinity(Function)} only)
     * @return this builder
     */
    public PoolBuilder<T> affinity(Affinity affinity) {
        this.affinity = affinity;
        return this;
    }

    /**
     * The largest maxSize that {@link Pool#resize(int)} may set at runtime. The idle and hand-off
     * queues are preallocated to this size (about 12 bytes per place with the FIFO idle order),
     * which is why it is fixed when the pool is built.
     *
     * @param limit between maxSize and 100000; default maxSize (resize can shrink the pool and
     *              grow it back, not beyond)
     * @return this builder
     */
    public PoolBuilder<T> maxSizeLimit(int limit) {
        this.maxSizeLimit = limit;
        return this;
    }

    /**
     * Registers a {@link PoolMXBean} for the pool with the platform MBean server when it is built,
     * under {@code dev.reactivepool:type=Pool,name="<pool name>"} (the name quoted with
     * {@link javax.management.ObjectName#quote(String)}), and unregisters it when the pool closes.
     * Registration happens on the thread that calls {@link #build()}; the name must be unique
     * among registered pools: {@link #build()} fails with {@link InvalidPoolConfigurationException}
     * for option {@code registerJmx} otherwise (no pool is left behind).
     *
     * @param enabled true to register; default false
     * @return this builder
     */
    public PoolBuilder<T> registerJmx(boolean enabled) {
        this.registerJmx = enabled;
        return this;
    }

    /**
     * Adds a listener of the pool's lifecycle events (created, acquired, released, destroyed with
     * its reason, ...; see {@link PoolListener}). May be called several times: listeners are
     * called in the order they were added. Listeners must not block; one that throws is logged
     * once and ignored. With no listener the pool allocates nothing and reads no clock for events.
     *
     * @param listener non-null
     * @return this builder
     */
    public PoolBuilder<T> listener(PoolListener<? super T> listener) {
        this.listeners.add(listener);
        return this;
    }

    /**
     * {@link Affinity#EXECUTOR} affinity: each idle object belongs to the executor it lives on,
     * typically a network connection's event loop ({@code channel.eventLoop()}), and an acquire
     * on that executor's thread is served first by an idle object of its own. The executor must
     * be single-threaded: the pool learns an object's thread by running one short task on its
     * executor at the object's first release, and from its next release on keeps it with that
     * thread's idle objects, wherever it is released. Objects whose function throws or returns
     * null belong to no executor. See
     * {@link #affinity(Affinity)} for the rest of the contract.
     *
     * @param executorOf the executor of an object; cheap, non-blocking, the same for an object's
     *                   whole life; non-null
     * @return this builder
     */
    public PoolBuilder<T> affinity(Function<? super T, ? extends Executor> executorOf) {
        this.affinityExecutor = Objects.requireNonNull(executorOf, "executorOf");
        this.affinity = Affinity.EXECUTOR;
        return this;
    }

    /**
     * Checks every option and builds the pool. The pool starts empty (call
     * {@link Pool#warmup()} to create {@code minIdle} objects at once) and starts its background
     * eviction task.
     *
     * @return a new pool
     * @throws InvalidPoolConfigurationException naming the first option out of its range
     */
    public Pool<T> build() {
        String poolName = name != null ? name : "reactive-pool-" + POOL_COUNTER.incrementAndGet();
        int effectiveMaxIdle = maxIdle != null ? maxIdle : maxSize;
        PoolConfig<T> config = new PoolConfig<>(allocator, poolName, maxSize, minIdle, effectiveMaxIdle, maxPending,
                acquireTimeout, createTimeout, destroyTimeout, validator, validationTimeout, skipValidationWithin,
                resetter, resetTimeout, destroyer, evictionPredicate, idleTimeout, maxLifetime, maxLifetimeJitter, maxUses, idleOrder,
                evictionInterval, timerScheduler, deliveryScheduler, leakDetectionThreshold, backoffInitial,
                backoffMax, closeGracePeriod, holdTimeSampling, lostLeaseDetection, maxLeasesPerObject,
                maxSizeLimit != null ? maxSizeLimit : maxSize, registerJmx,
                new ArrayList<>(listeners), affinity, affinityExecutor);
        config.validate();
        return new DefaultPool<>(config);
    }
}
