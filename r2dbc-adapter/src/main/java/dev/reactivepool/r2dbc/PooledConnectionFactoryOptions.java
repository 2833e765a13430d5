package dev.reactivepool.r2dbc;

import java.time.Duration;
import java.util.List;

import dev.reactivepool.IdleOrder;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import io.r2dbc.spi.ValidationDepth;
import reactor.core.scheduler.Scheduler;

/**
 * The {@link Option}s understood by the pooling connection factory, for
 * {@link ConnectionFactoryOptions} and for R2DBC URLs such as
 * {@code r2dbc:reactivepool:postgresql://user@localhost:5432/db?maxSize=20&acquireTimeout=PT5S}.
 *
 * <p>Pool options are named after the {@link dev.reactivepool.PoolBuilder} methods and keep the
 * core pool's defaults and ranges. In a URL every value is text: integers in decimal, durations in
 * ISO-8601 ({@code PT5S}, {@code PT0.5S}) or as a number with a unit ({@code 500ms}, {@code 5s},
 * {@code 2m}, {@code 1h}, {@code 1d}, also {@code ns} and {@code us}; plain {@code 0} is zero),
 * enumerations by name, case-insensitive. In {@code ConnectionFactoryOptions} built in code the
 * values may also be of the option's own type ({@code Integer}, {@code Duration}, the enum).
 * An unknown option or a malformed value is rejected with an
 * {@link dev.reactivepool.InvalidPoolConfigurationException} naming it.
 *
 * <p>r2dbc-pool's option names are accepted too, with r2dbc-pool's meaning, and mapped to these
 * ({@code maxIdleTime} to {@link #IDLE_TIMEOUT}, {@code initialSize} to {@link #MIN_IDLE}, ...);
 * an error for one of them names it as given. The mapping and its differences are in
 * {@code docs/r2dbc-options.md}.
 */
public final class PooledConnectionFactoryOptions {

    /** The driver name of the pooling factory in R2DBC URLs: {@code r2dbc:reactivepool:<driver>://...}. */
    public static final String REACTIVEPOOL_DRIVER = "reactivepool";

    /** The pool's name, used in log lines, exception messages and metric tags. */
    public static final Option<String> NAME = Option.valueOf("name");

    /** Maximum number of connections, including those being opened, validated, reset or closed. */
    public static final Option<Integer> MAX_SIZE = Option.valueOf("maxSize");

    /** Connections kept open and idle, restored in the background. */
    public static final Option<Integer> MIN_IDLE = Option.valueOf("minIdle");

    /** Maximum number of idle connections; a return past it closes the connection. */
    public static final Option<Integer> MAX_IDLE = Option.valueOf("maxIdle");

    /** Maximum number of callers waiting for a connection; past it {@code create()} fails at once. */
    public static final Option<Integer> MAX_PENDING = Option.valueOf("maxPending");

    /** How long {@code create()} may wait for a connection, covering opening and validating. */
    public static final Option<Duration> ACQUIRE_TIMEOUT = Option.valueOf("acquireTimeout");

    /** How long the driver may take to open a connection. */
    public static final Option<Duration> CREATE_TIMEOUT = Option.valueOf("createTimeout");

    /** How long the driver may take to close a connection. */
    public static final Option<Duration> DESTROY_TIMEOUT = Option.valueOf("destroyTimeout");

    /** How long the validation of an idle connection may take before it counts as failed. */
    public static final Option<Duration> VALIDATION_TIMEOUT = Option.valueOf("validationTimeout");

    /** Skips all validation of a connection returned less than this long ago (default 0: never skip). */
    public static final Option<Duration> SKIP_VALIDATION_WITHIN = Option.valueOf("skipValidationWithin");

    /** How long the clean-up of a returned connection (rollback, restore, reset query) may take. */
    public static final Option<Duration> RESET_TIMEOUT = Option.valueOf("resetTimeout");

    /** Closes connections idle longer than this (0: never). */
    public static final Option<Duration> IDLE_TIMEOUT = Option.valueOf("idleTimeout");

    /** Closes connections older than this (0: never). */
    public static final Option<Duration> MAX_LIFETIME = Option.valueOf("maxLifetime");

    /** A random part of this is taken off each connection's {@code maxLifetime}. */
    public static final Option<Duration> MAX_LIFETIME_JITTER = Option.valueOf("maxLifetimeJitter");

    /** Closes a connection when it is returned after this many uses. */
    public static final Option<Long> MAX_USES = Option.valueOf("maxUses");

    /** The order in which idle connections are reused: {@code FIFO} (default) or {@code LIFO}. */
    public static final Option<IdleOrder> IDLE_ORDER = Option.valueOf("idleOrder");

    /** Period of the background eviction task. */
    public static final Option<Duration> EVICTION_INTERVAL = Option.valueOf("evictionInterval");

    /** Reports connections held longer than this with the stack of their acquirer (0: off). */
    public static final Option<Duration> LEAK_DETECTION_THRESHOLD = Option.valueOf("leakDetectionThreshold");

    /** First pause between connection attempts while opening connections fails. */
    public static final Option<Duration> CREATION_BACKOFF_INITIAL = Option.valueOf("creationBackoffInitial");

    /** Largest pause between connection attempts while opening connections fails. */
    public static final Option<Duration> CREATION_BACKOFF_MAX = Option.valueOf("creationBackoffMax");

    /** How long closing the factory waits for borrowed connections to come back. */
    public static final Option<Duration> CLOSE_GRACE_PERIOD = Option.valueOf("closeGracePeriod");

    /** Times the hold of one lease in this many for the hold-time metric. */
    public static final Option<Integer> HOLD_TIME_SAMPLING = Option.valueOf("holdTimeSampling");

    /** The largest maxSize a runtime {@code resize} may set (default: maxSize). */
    public static final Option<Integer> MAX_SIZE_LIMIT = Option.valueOf("maxSizeLimit");

    /**
     * Whether the pool registers a {@code dev.reactivepool.PoolMXBean} with the platform MBean
     * server (default false); its name is the pool's name, which must then be unique.
     */
    public static final Option<Boolean> REGISTER_JMX = Option.valueOf("registerJmx");

    /** The scheduler for the pool's timeouts, backoff and eviction (in code only, not in URLs). */
    public static final Option<Scheduler> TIMER_SCHEDULER = Option.valueOf("timerScheduler");

    /** Emits connections on this scheduler instead of the thread that freed them (in code only). */
    public static final Option<Scheduler> DELIVERY_SCHEDULER = Option.valueOf("deliveryScheduler");

    /**
     * The scheduler on which the driver's {@code create()} is subscribed (in code only), so that a
     * driver resolving host names or loading TLS material on the subscribing thread never does so
     * on an event loop. Default: {@code Schedulers.boundedElastic()}.
     */
    public static final Option<Scheduler> CREATION_SCHEDULER = Option.valueOf("creationScheduler");

    /**
     * How thoroughly an idle connection is checked before it is handed out: {@code LOCAL} (only the
     * driver's local check, every time) or {@code REMOTE} (default: the local check every time,
     * plus a round trip when the connection was idle longer than {@link #REMOTE_VALIDATION_AFTER_IDLE}).
     */
    public static final Option<ValidationDepth> VALIDATION_DEPTH = Option.valueOf("validationDepth");

    /** With {@code validationDepth=REMOTE}: idle time after which the round-trip check runs (default 5 s; 0: always). */
    public static final Option<Duration> REMOTE_VALIDATION_AFTER_IDLE = Option.valueOf("remoteValidationAfterIdle");

    /** A query run as the round-trip check instead of the driver's {@code validate(REMOTE)}. */
    public static final Option<String> VALIDATION_QUERY = Option.valueOf("validationQuery");

    /** A statement run on every returned connection after rollback and restore, e.g. {@code DISCARD ALL}. */
    public static final Option<String> RESET_QUERY = Option.valueOf("resetQuery");

    /**
     * Whether {@code create()} emits each connection on the connection's own I/O thread when the
     * driver exposes it ({@code Wrapped.unwrap(Scheduler.class)}), as r2dbc-pool does. Default false.
     */
    public static final Option<Boolean> DELIVER_ON_CONNECTION_THREAD = Option.valueOf("deliverOnConnectionThread");

    /**
     * Whether an acquire on a connection's own I/O thread (event loop) is served first by an idle
     * connection of that thread (the core's {@code Affinity.EXECUTOR}). Default false; ignored with
     * {@code idleOrder=LIFO}.
     */
    public static final Option<Boolean> CONNECTION_AFFINITY = Option.valueOf("connectionAffinity");

    /**
     * The statement timeout restored on a returned connection whose user changed it. Default: the
     * standard {@code statementTimeout} option given to the driver, else 0 (no timeout).
     */
    public static final Option<Duration> DEFAULT_STATEMENT_TIMEOUT = Option.valueOf("defaultStatementTimeout");

    /**
     * The lock-wait timeout restored on a returned connection whose user changed it. Default: the
     * standard {@code lockWaitTimeout} option given to the driver, else 0 (no timeout).
     */
    public static final Option<Duration> DEFAULT_LOCK_WAIT_TIMEOUT = Option.valueOf("defaultLockWaitTimeout");

    /** Every option above, in documentation order. */
    static final List<Option<?>> ALL = List.of(NAME, MAX_SIZE, MIN_IDLE, MAX_IDLE, MAX_PENDING, ACQUIRE_TIMEOUT,
            CREATE_TIMEOUT, DESTROY_TIMEOUT, VALIDATION_TIMEOUT, SKIP_VALIDATION_WITHIN, RESET_TIMEOUT,
            IDLE_TIMEOUT, MAX_LIFETIME, MAX_LIFETIME_JITTER, MAX_USES, IDLE_ORDER, EVICTION_INTERVAL,
            LEAK_DETECTION_THRESHOLD, CREATION_BACKOFF_INITIAL, CREATION_BACKOFF_MAX, CLOSE_GRACE_PERIOD,
            HOLD_TIME_SAMPLING, TIMER_SCHEDULER, DELIVERY_SCHEDULER, CREATION_SCHEDULER, VALIDATION_DEPTH,
            REMOTE_VALIDATION_AFTER_IDLE, VALIDATION_QUERY, RESET_QUERY, DEFAULT_STATEMENT_TIMEOUT,
            DEFAULT_LOCK_WAIT_TIMEOUT, DELIVER_ON_CONNECTION_THREAD, MAX_SIZE_LIMIT, REGISTER_JMX, CONNECTION_AFFINITY);

    private PooledConnectionFactoryOptions() {
    }
}
