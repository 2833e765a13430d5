package dev.reactivepool.r2dbc;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import dev.reactivepool.IdleOrder;
import dev.reactivepool.InvalidPoolConfigurationException;
import dev.reactivepool.Pool;
import dev.reactivepool.PoolBuilder;
import dev.reactivepool.PoolListener;
import dev.reactivepool.internal.OptionRule;
import dev.reactivepool.r2dbc.internal.ConnectionPolicy;
import dev.reactivepool.r2dbc.internal.ConnectionResetter;
import dev.reactivepool.r2dbc.internal.ConnectionState;
import dev.reactivepool.r2dbc.internal.ConnectionValidator;
import dev.reactivepool.r2dbc.internal.OptionValues;
import dev.reactivepool.r2dbc.internal.OptionsAccess;
import dev.reactivepool.r2dbc.internal.R2dbcPoolAliases;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import io.r2dbc.spi.ValidationDepth;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Configures a {@link PooledConnectionFactory}; obtained from
 * {@link PooledConnectionFactory#builder(ConnectionFactory)}.
 *
 * <p>Pool options left unset keep the core pool's defaults (see {@link PoolBuilder}). Every
 * option can also be given by name through {@link #options(ConnectionFactoryOptions)}; the names
 * are those of {@link PooledConnectionFactoryOptions}, or r2dbc-pool's names for them.
 * {@link #build()} checks every option with the core pool's ranges and throws
 * {@link InvalidPoolConfigurationException} naming the first one out of range as it was given:
 * the method's name, or the option's name in the options or URL (r2dbc-pool's name if that was used).
 */
public final class PooledConnectionFactoryBuilder {

    /** The adapter's own options, checked like the core's with {@link OptionRule}. */
    private static final OptionRule CREATION_SCHEDULER = OptionRule.notNull("creationScheduler",
            "a non-null scheduler (Schedulers.immediate() subscribes on the caller's thread)");
    private static final OptionRule VALIDATION_DEPTH = OptionRule.notNull("validationDepth", "LOCAL or REMOTE");
    private static final OptionRule REMOTE_VALIDATION_AFTER_IDLE = OptionRule.durationRange(
            "remoteValidationAfterIdle", Duration.ZERO, "zero (check every time) or a positive duration");
    private static final OptionRule RESTORED_TIMEOUT = OptionRule.durationRange("defaultStatementTimeout",
            Duration.ZERO, "zero (no timeout) or a positive duration");
    private static final OptionRule QUERY = OptionRule.nonBlank("validationQuery");

    private static final Map<String, BiConsumer<PooledConnectionFactoryBuilder, Object>> SETTERS = setters();

    private static final Set<String> STANDARD_OPTIONS = OptionsAccess.declaredOptionNames(ConnectionFactoryOptions.class);

    private final ConnectionFactory delegate;

    private String name;
    private Integer maxSize;
    private Integer minIdle;
    private Integer maxIdle;
    private Integer maxPending;
    private Duration acquireTimeout;
    private Duration createTimeout;
    private Duration destroyTimeout;
    private Duration validationTimeout;
    private Duration skipValidationWithin;
    private Duration resetTimeout;
    private Duration idleTimeout;
    private Duration maxLifetime;
    private Duration maxLifetimeJitter;
    private Long maxUses;
    private IdleOrder idleOrder;
    private Duration evictionInterval;
    private Duration leakDetectionThreshold;
    private Duration creationBackoffInitial;
    private Duration creationBackoffMax;
    private Duration closeGracePeriod;
    private Integer holdTimeSampling;
    private Integer maxSizeLimit;
    private boolean registerJmx;
    private Scheduler timerScheduler;
    private Scheduler deliveryScheduler;
    private Scheduler creationScheduler = Schedulers.boundedElastic();
    private ValidationDepth validationDepth = ValidationDepth.REMOTE;
    private Duration remoteValidationAfterIdle = Duration.ofSeconds(5);
    private String validationQuery;
    private String resetQuery;
    private Duration defaultStatementTimeout = Duration.ZERO;
    private Duration defaultLockWaitTimeout = Duration.ZERO;
    private boolean deliverOnConnectionThread;
    private final java.util.List<PoolListener<Object>> listeners = new java.util.ArrayList<>();
    private boolean connectionAffinity;
    private Integer initialSize;
    /** Options given by name under another name than ours (an r2dbc-pool alias): our name to the name given. */
    private final Map<String, String> givenAs = new HashMap<>();
    /** Options given by name, to refuse one given both under our name and under an alias. */
    private final Map<String, String> givenByName = new HashMap<>();

    PooledConnectionFactoryBuilder(ConnectionFactory delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    private static Map<String, BiConsumer<PooledConnectionFactoryBuilder, Object>> setters() {
        Map<String, BiConsumer<PooledConnectionFactoryBuilder, Object>> s = new LinkedHashMap<>();
        s.put("name", (b, v) -> b.name(OptionValues.toNonBlankString("name", v)));
        s.put("maxSize", (b, v) -> b.maxSize(OptionValues.toInt("maxSize", v)));
        s.put("minIdle", (b, v) -> b.minIdle(OptionValues.toInt("minIdle", v)));
        s.put("maxIdle", (b, v) -> b.maxIdle(OptionValues.toInt("maxIdle", v)));
        s.put("maxPending", (b, v) -> b.maxPending(OptionValues.toInt("maxPending", v)));
        s.put("acquireTimeout", (b, v) -> b.acquireTimeout(OptionValues.toDuration("acquireTimeout", v)));
        s.put("createTimeout", (b, v) -> b.createTimeout(OptionValues.toDuration("createTimeout", v)));
        s.put("destroyTimeout", (b, v) -> b.destroyTimeout(OptionValues.toDuration("destroyTimeout", v)));
        s.put("validationTimeout", (b, v) -> b.validationTimeout(OptionValues.toDuration("validationTimeout", v)));
        s.put("skipValidationWithin",
                (b, v) -> b.skipValidationWithin(OptionValues.toDuration("skipValidationWithin", v)));
        s.put("resetTimeout", (b, v) -> b.resetTimeout(OptionValues.toDuration("resetTimeout", v)));
        s.put("idleTimeout", (b, v) -> b.idleTimeout(OptionValues.toDuration("idleTimeout", v)));
        s.put("maxLifetime", (b, v) -> b.maxLifetime = OptionValues.toDuration("maxLifetime", v));
        s.put("maxLifetimeJitter", (b, v) -> b.maxLifetimeJitter = OptionValues.toDuration("maxLifetimeJitter", v));
        s.put("maxUses", (b, v) -> b.maxUses(OptionValues.toLong("maxUses", v)));
        s.put("idleOrder", (b, v) -> b.idleOrder(OptionValues.toEnum("idleOrder", v, IdleOrder.class)));
        s.put("evictionInterval", (b, v) -> b.evictionInterval(OptionValues.toDuration("evictionInterval", v)));
        s.put("leakDetectionThreshold",
                (b, v) -> b.leakDetectionThreshold(OptionValues.toDuration("leakDetectionThreshold", v)));
        s.put("creationBackoffInitial",
                (b, v) -> b.creationBackoffInitial = OptionValues.toDuration("creationBackoffInitial", v));
        s.put("creationBackoffMax", (b, v) -> b.creationBackoffMax = OptionValues.toDuration("creationBackoffMax", v));
        s.put("closeGracePeriod", (b, v) -> b.closeGracePeriod(OptionValues.toDuration("closeGracePeriod", v)));
        s.put("holdTimeSampling", (b, v) -> b.holdTimeSampling(OptionValues.toInt("holdTimeSampling", v)));
        s.put("timerScheduler", (b, v) -> b.timerScheduler(OptionValues.toScheduler("timerScheduler", v)));
        s.put("deliveryScheduler", (b, v) -> b.deliveryScheduler(OptionValues.toScheduler("deliveryScheduler", v)));
        s.put("creationScheduler", (b, v) -> b.creationScheduler(OptionValues.toScheduler("creationScheduler", v)));
        s.put("validationDepth",
                (b, v) -> b.validationDepth(OptionValues.toEnum("validationDepth", v, ValidationDepth.class)));
        s.put("remoteValidationAfterIdle",
                (b, v) -> b.remoteValidationAfterIdle(OptionValues.toDuration("remoteValidationAfterIdle", v)));
        s.put("validationQuery", (b, v) -> b.validationQuery(OptionValues.toNonBlankString("validationQuery", v)));
        s.put("resetQuery", (b, v) -> b.resetQuery(OptionValues.toNonBlankString("resetQuery", v)));
        s.put("defaultStatementTimeout",
                (b, v) -> b.defaultStatementTimeout(OptionValues.toDuration("defaultStatementTimeout", v)));
        s.put("defaultLockWaitTimeout",
                (b, v) -> b.defaultLockWaitTimeout(OptionValues.toDuration("defaultLockWaitTimeout", v)));
        s.put("deliverOnConnectionThread",
                (b, v) -> b.deliverOnConnectionThread(OptionValues.toBoolean("deliverOnConnectionThread", v)));
        s.put("maxSizeLimit", (b, v) -> b.maxSizeLimit(OptionValues.toInt("maxSizeLimit", v)));
        s.put("registerJmx", (b, v) -> b.registerJmx(OptionValues.toBoolean("registerJmx", v)));
        s.put("connectionAffinity",
                (b, v) -> b.connectionAffinity(OptionValues.toBoolean("connectionAffinity", v)));
        for (Option<?> option : PooledConnectionFactoryOptions.ALL) {
            if (!s.containsKey(option.name())) {
                throw new IllegalStateException("no setter for option " + option.name());
            }
        }
        return s;
    }

    /** @return whether {@code name} is a pool option */
    static boolean isPoolOption(String name) {
        return SETTERS.containsKey(name) || R2dbcPoolAliases.find(name) != null;
    }

    /**
     * Applies options by name: the options of {@link PooledConnectionFactoryOptions}, typed or as
     * text. The standard options {@code statementTimeout} and {@code lockWaitTimeout}, when
     * present, become the values restored on returned connections (unless
     * {@code defaultStatementTimeout} / {@code defaultLockWaitTimeout} are given); the other
     * standard R2DBC options ({@code driver}, {@code host}, ...) are ignored, so the options used
     * to build the driver's factory can be passed as they are.
     *
     * @param options the options
     * @return this builder
     * @throws InvalidPoolConfigurationException for an unknown option or a malformed value
     */
    public PooledConnectionFactoryBuilder options(ConnectionFactoryOptions options) {
        Objects.requireNonNull(options, "options");
        restoreDefaultsFrom(options);
        Map<Option<?>, Object> entries = OptionsAccess.entries(options);
        if (entries == null) {
            for (Option<?> option : PooledConnectionFactoryOptions.ALL) {
                if (options.hasOption(option)) {
                    option(option.name(), options.getValue(option));
                }
            }
            for (String alias : R2dbcPoolAliases.names()) {
                Option<Object> option = Option.valueOf(alias);
                if (options.hasOption(option)) {
                    option(alias, options.getValue(option));
                }
            }
            return this;
        }
        entries.forEach((option, value) -> {
            if (isPoolOption(option.name())) {
                option(option.name(), value);
            } else if (!STANDARD_OPTIONS.contains(option.name())) {
                throw unknownOption(option.name(), Set.of());
            }
        });
        return this;
    }

    /** Takes the standard statement and lock-wait timeouts given to the driver as the values to restore. */
    void restoreDefaultsFrom(ConnectionFactoryOptions driverOptions) {
        Object statementTimeout = driverOptions.getValue(ConnectionFactoryOptions.STATEMENT_TIMEOUT);
        if (statementTimeout != null) {
            defaultStatementTimeout = OptionValues.toDuration("statementTimeout", statementTimeout);
            givenAs.put("defaultStatementTimeout", "statementTimeout");
        }
        Object lockWaitTimeout = driverOptions.getValue(ConnectionFactoryOptions.LOCK_WAIT_TIMEOUT);
        if (lockWaitTimeout != null) {
            defaultLockWaitTimeout = OptionValues.toDuration("lockWaitTimeout", lockWaitTimeout);
            givenAs.put("defaultLockWaitTimeout", "lockWaitTimeout");
        }
    }

    /** Applies one pool option given by name. */
    void option(String optionName, Object value) {
        R2dbcPoolAliases.Alias alias = R2dbcPoolAliases.find(optionName);
        BiConsumer<PooledConnectionFactoryBuilder, Object> setter = SETTERS.get(optionName);
        if (setter == null && alias == null) {
            throw unknownOption(optionName, Set.of());
        }
        if (value == null) {
            throw new InvalidPoolConfigurationException(optionName, "must not be null");
        }
        if (alias == null) {
            given(optionName, optionName);
            setter.accept(this, value);
            return;
        }
        Object ours = alias.valueFor(value);
        if (alias.target() == null) {
            return;
        }
        given(alias.target(), optionName);
        if (alias.target().equals(R2dbcPoolAliases.INITIAL_SIZE)) {
            initialSize = (Integer) ours;
        } else {
            SETTERS.get(alias.target()).accept(this, ours);
        }
    }

    /** Records under which name an option was given; refuses an option given under two names. */
    private void given(String option, String as) {
        String before = givenByName.putIfAbsent(option, as);
        if (before != null && !before.equals(as)) {
            String alias = as.equals(option) ? before : as;
            throw new InvalidPoolConfigurationException(alias, "is r2dbc-pool's name for '" + option
                    + "', which is also given; give only one of them");
        }
        if (as.equals(option)) {
            givenAs.remove(option);
        } else {
            givenAs.put(option, as);
        }
    }

    /** @return the name under which the option was given (an alias or ours), or ours when not given by name */
    private String as(String option) {
        return givenAs.getOrDefault(option, option);
    }

    /**
     * Builds the error for an option nobody knows, suggesting the closest known name.
     *
     * @param optionName   the unknown name
     * @param driverOptions names the pooled driver declares, also candidates for the suggestion
     * @return the error to throw
     */
    static InvalidPoolConfigurationException unknownOption(String optionName, Set<String> driverOptions) {
        String suggestion = null;
        int best = 3;
        for (Set<String> candidates : java.util.List.of(SETTERS.keySet(), R2dbcPoolAliases.names(), driverOptions)) {
            for (String candidate : candidates) {
                int distance = distance(optionName.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
                if (distance < best) {
                    best = distance;
                    suggestion = candidate;
                }
            }
        }
        return new InvalidPoolConfigurationException(optionName, "unknown option"
                + (suggestion != null ? " (did you mean '" + suggestion + "'?)" : "")
                + "; the reactivepool options are " + String.join(", ", SETTERS.keySet())
                + "; r2dbc-pool's names are also accepted: " + String.join(", ", R2dbcPoolAliases.names())
                + (driverOptions.isEmpty() ? "" : "; the pooled driver's options are "
                        + driverOptions.stream().sorted().collect(Collectors.joining(", "))));
    }

    /** Levenshtein distance, for suggestions only. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /**
     * @param name the pool's name, in log lines, error messages and metric tags; must hold no secret
     * @return this builder
     * @see PoolBuilder#name(String)
     */
    public PooledConnectionFactoryBuilder name(String name) {
        this.name = name;
        return this;
    }

    /**
     * @param maxSize the most connections open at once, at least 1 (default 10)
     * @return this builder
     * @see PoolBuilder#maxSize(int)
     */
    public PooledConnectionFactoryBuilder maxSize(int maxSize) {
        this.maxSize = maxSize;
        return this;
    }

    /**
     * @param minIdle idle connections kept open, from 0 (default) to {@code maxIdle}
     * @return this builder
     * @see PoolBuilder#minIdle(int)
     */
    public PooledConnectionFactoryBuilder minIdle(int minIdle) {
        this.minIdle = minIdle;
        return this;
    }

    /**
     * @param maxIdle the most idle connections, from {@code minIdle} to {@code maxSize} (default {@code maxSize})
     * @return this builder
     * @see PoolBuilder#maxIdle(int)
     */
    public PooledConnectionFactoryBuilder maxIdle(int maxIdle) {
        this.maxIdle = maxIdle;
        return this;
    }

    /**
     * @param maxPending the most callers waiting for a connection, at least 0 (default unbounded)
     * @return this builder
     * @see PoolBuilder#maxPending(int)
     */
    public PooledConnectionFactoryBuilder maxPending(int maxPending) {
        this.maxPending = maxPending;
        return this;
    }

    /**
     * @param acquireTimeout how long {@code create()} may take in all, positive (default 30 s)
     * @return this builder
     * @see PoolBuilder#acquireTimeout(Duration)
     */
    public PooledConnectionFactoryBuilder acquireTimeout(Duration acquireTimeout) {
        this.acquireTimeout = acquireTimeout;
        return this;
    }

    /**
     * @param createTimeout how long the driver may take to open a connection, positive (default 30 s)
     * @return this builder
     * @see PoolBuilder#createTimeout(Duration)
     */
    public PooledConnectionFactoryBuilder createTimeout(Duration createTimeout) {
        this.createTimeout = createTimeout;
        return this;
    }

    /**
     * How long the pool waits for the driver to close a connection before it frees the
     * connection's place. The close is not cancelled when the wait ends: it runs to its end, so
     * the socket and the server session are still closed.
     *
     * @param destroyTimeout how long the pool waits for a close, positive (default 10 s)
     * @return this builder
     * @see PoolBuilder#destroyTimeout(Duration)
     */
    public PooledConnectionFactoryBuilder destroyTimeout(Duration destroyTimeout) {
        this.destroyTimeout = destroyTimeout;
        return this;
    }

    /**
     * @param validationTimeout how long validating an idle connection may take, positive (default 5 s)
     * @return this builder
     * @see PoolBuilder#validationTimeout(Duration)
     */
    public PooledConnectionFactoryBuilder validationTimeout(Duration validationTimeout) {
        this.validationTimeout = validationTimeout;
        return this;
    }

    /**
     * @param window skip all validation of a connection returned less than this long ago; zero
     *               (default) validates every time
     * @return this builder
     * @see PoolBuilder#skipValidationWithin(Duration)
     */
    public PooledConnectionFactoryBuilder skipValidationWithin(Duration window) {
        this.skipValidationWithin = window;
        return this;
    }

    /**
     * @param resetTimeout how long the clean-up of a returned connection may take, positive (default 5 s)
     * @return this builder
     * @see PoolBuilder#resetTimeout(Duration)
     */
    public PooledConnectionFactoryBuilder resetTimeout(Duration resetTimeout) {
        this.resetTimeout = resetTimeout;
        return this;
    }

    /**
     * @param idleTimeout close connections idle longer than this; zero (default) never
     * @return this builder
     * @see PoolBuilder#idleTimeout(Duration)
     */
    public PooledConnectionFactoryBuilder idleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
        return this;
    }

    /**
     * @param maxLifetime close connections older than this less a random part of {@code jitter};
     *                    zero (default) never
     * @param jitter      from zero to less than {@code maxLifetime}
     * @return this builder
     * @see PoolBuilder#maxLifetime(Duration, Duration)
     */
    public PooledConnectionFactoryBuilder maxLifetime(Duration maxLifetime, Duration jitter) {
        this.maxLifetime = maxLifetime;
        this.maxLifetimeJitter = jitter;
        return this;
    }

    /**
     * @param maxUses close a connection when it is returned after this many uses, at least 1 (default unlimited)
     * @return this builder
     * @see PoolBuilder#maxUses(long)
     */
    public PooledConnectionFactoryBuilder maxUses(long maxUses) {
        this.maxUses = maxUses;
        return this;
    }

    /**
     * @param idleOrder FIFO (default) or LIFO reuse of idle connections
     * @return this builder
     * @see PoolBuilder#idleOrder(IdleOrder)
     */
    public PooledConnectionFactoryBuilder idleOrder(IdleOrder idleOrder) {
        this.idleOrder = idleOrder;
        return this;
    }

    /**
     * @param evictionInterval period of the background eviction, at least 1 ms (default 1 s)
     * @return this builder
     * @see PoolBuilder#evictionInterval(Duration)
     */
    public PooledConnectionFactoryBuilder evictionInterval(Duration evictionInterval) {
        this.evictionInterval = evictionInterval;
        return this;
    }

    /**
     * @param threshold report connections held longer than this; zero (default) disables
     * @return this builder
     * @see PoolBuilder#leakDetectionThreshold(Duration)
     */
    public PooledConnectionFactoryBuilder leakDetectionThreshold(Duration threshold) {
        this.leakDetectionThreshold = threshold;
        return this;
    }

    /**
     * @param initial first pause between connection attempts while they fail, positive (default 100 ms)
     * @param max     largest pause, at least {@code initial} (default 5 s)
     * @return this builder
     * @see PoolBuilder#creationBackoff(Duration, Duration)
     */
    public PooledConnectionFactoryBuilder creationBackoff(Duration initial, Duration max) {
        this.creationBackoffInitial = initial;
        this.creationBackoffMax = max;
        return this;
    }

    /**
     * @param closeGracePeriod how long closing waits for borrowed connections, zero or positive (default 30 s)
     * @return this builder
     * @see PoolBuilder#closeGracePeriod(Duration)
     */
    public PooledConnectionFactoryBuilder closeGracePeriod(Duration closeGracePeriod) {
        this.closeGracePeriod = closeGracePeriod;
        return this;
    }

    /**
     * @param n time one lease in {@code n} for the hold-time metric, 0 never (default 16)
     * @return this builder
     * @see PoolBuilder#holdTimeSampling(int)
     */
    public PooledConnectionFactoryBuilder holdTimeSampling(int n) {
        this.holdTimeSampling = n;
        return this;
    }

    /**
     * @param limit the largest maxSize that {@code pool().resize(...)} or the MXBean may set,
     *              between maxSize and 100000 (default maxSize)
     * @return this builder
     * @see PoolBuilder#maxSizeLimit(int)
     */
    public PooledConnectionFactoryBuilder maxSizeLimit(int limit) {
        this.maxSizeLimit = limit;
        return this;
    }

    /**
     * @param enabled true to register the pool's {@code PoolMXBean} with the platform MBean server
     *                when the factory is built, and unregister it when it closes (default false);
     *                the pool's {@code name} must then be unique among registered pools
     * @return this builder
     * @see PoolBuilder#registerJmx(boolean)
     */
    public PooledConnectionFactoryBuilder registerJmx(boolean enabled) {
        this.registerJmx = enabled;
        return this;
    }

    /**
     * @param timerScheduler the scheduler of timeouts, backoff and eviction (default {@code Schedulers.parallel()})
     * @return this builder
     * @see PoolBuilder#timerScheduler(Scheduler)
     */
    public PooledConnectionFactoryBuilder timerScheduler(Scheduler timerScheduler) {
        this.timerScheduler = timerScheduler;
        return this;
    }

    /**
     * @param deliveryScheduler emit connections on this scheduler; null (default) for no thread hop
     * @return this builder
     * @see PoolBuilder#deliveryScheduler(Scheduler)
     */
    public PooledConnectionFactoryBuilder deliveryScheduler(Scheduler deliveryScheduler) {
        this.deliveryScheduler = deliveryScheduler;
        return this;
    }

    /**
     * The scheduler on which the driver's {@code create()} is subscribed, so that whatever a
     * driver does on the subscribing thread (host name resolution, TLS set-up) never runs on an
     * event loop. Only connection opening hops threads; the connection's own I/O stays on the
     * driver's event loop.
     *
     * @param creationScheduler non-null; default {@code Schedulers.boundedElastic()};
     *                          {@code Schedulers.immediate()} for no hop
     * @return this builder
     */
    public PooledConnectionFactoryBuilder creationScheduler(Scheduler creationScheduler) {
        this.creationScheduler = creationScheduler;
        return this;
    }

    /**
     * How thoroughly an idle connection is checked before it is handed out. The driver's local
     * check runs every time (unless {@link #skipValidationWithin(Duration)} is set); with
     * {@code REMOTE} (default) a round trip follows when the connection has been idle longer than
     * {@link #remoteValidationAfterIdle(Duration)}. A connection that fails is closed and another
     * drawn, invisibly to the caller.
     *
     * @param validationDepth LOCAL or REMOTE (default)
     * @return this builder
     */
    public PooledConnectionFactoryBuilder validationDepth(ValidationDepth validationDepth) {
        this.validationDepth = validationDepth;
        return this;
    }

    /**
     * @param idle with {@code validationDepth} REMOTE, the idle time after which a connection is
     *             checked with a round trip; zero checks every time (default 5 s)
     * @return this builder
     */
    public PooledConnectionFactoryBuilder remoteValidationAfterIdle(Duration idle) {
        this.remoteValidationAfterIdle = idle;
        return this;
    }

    /**
     * @param validationQuery a query run as the round-trip check instead of the driver's
     *                        {@code validate(REMOTE)}, e.g. {@code SELECT 1}; null for none (default)
     * @return this builder
     */
    public PooledConnectionFactoryBuilder validationQuery(String validationQuery) {
        this.validationQuery = validationQuery;
        return this;
    }

    /**
     * @param resetQuery a statement run on every returned connection after the rollback and the
     *                   restore of settings, e.g. {@code DISCARD ALL} on PostgreSQL; null for none (default)
     * @return this builder
     */
    public PooledConnectionFactoryBuilder resetQuery(String resetQuery) {
        this.resetQuery = resetQuery;
        return this;
    }

    /**
     * @param timeout the statement timeout set back on a returned connection whose borrower
     *                called {@code setStatementTimeout}; zero or positive (default: the standard
     *                {@code statementTimeout} option if given to {@link #options}, else zero, no timeout)
     * @return this builder
     */
    public PooledConnectionFactoryBuilder defaultStatementTimeout(Duration timeout) {
        this.defaultStatementTimeout = timeout;
        givenAs.remove("defaultStatementTimeout");
        return this;
    }

    /**
     * @param timeout the lock-wait timeout set back on a returned connection whose borrower called
     *                {@code setLockWaitTimeout}; zero or positive (default: the standard
     *                {@code lockWaitTimeout} option if given to {@link #options}, else zero, no timeout)
     * @return this builder
     */
    public PooledConnectionFactoryBuilder defaultLockWaitTimeout(Duration timeout) {
        this.defaultLockWaitTimeout = timeout;
        givenAs.remove("defaultLockWaitTimeout");
        return this;
    }

    /**
     * Whether {@link PooledConnectionFactory#create()} emits each connection on the connection's
     * own I/O thread (its event loop), when the driver exposes it through
     * {@code Wrapped.unwrap(Scheduler.class)} or {@code unwrap(Executor.class)} (r2dbc-postgresql
     * does), as r2dbc-pool does. The borrower's statements then start on the thread that does the
     * connection's I/O, instead of the thread that returned or validated it, at the price of one
     * task handed to that thread per {@code create()}. A caller that cancels during the hand-over
     * gets nothing and the connection goes back to the pool. Connections of drivers that expose
     * no thread are emitted at once, as without this option.
     *
     * @param enabled true to hop; false (default) for no thread hop
     * @return this builder
     */
    public PooledConnectionFactoryBuilder deliverOnConnectionThread(boolean enabled) {
        this.deliverOnConnectionThread = enabled;
        return this;
    }

    /**
     * Adds a listener of the pool's lifecycle events (see {@link PoolListener} and
     * {@code docs/events-and-tracing.md}), for example
     * {@code dev.reactivepool.micrometer.PoolObservation.listener(registry)} or
     * {@code dev.reactivepool.r2dbc.micrometer.ConnectionPoolMeterBinder.createTimeRecorder(registry)}.
     * The events' objects are the adapter's internal connection holders: use their figures and
     * reasons, not the objects. Listeners are called in the order added.
     *
     * @param listener non-null
     * @return this builder
     */
    public PooledConnectionFactoryBuilder listener(PoolListener<Object> listener) {
        this.listeners.add(listener);
        return this;
    }

    /**
     * Whether an acquire made on a connection's own I/O thread (its Netty event loop, exposed by
     * r2dbc-postgresql) is served first by an idle connection of that thread, so that the
     * borrower's statements run where the connection's I/O happens without a thread hop; an
     * acquire on a thread with no idle connection of its own takes the connection idle longest
     * elsewhere, so nobody waits while a connection is idle. This is the core pool's
     * {@code affinity(Function)} with the connection's event loop; see {@code docs/affinity.md}.
     * Ignored with {@code idleOrder(LIFO)} and for drivers that expose no I/O thread. Off by
     * default: in the R2DBC benchmark it cost more client CPU per query than one FIFO idle set
     * (docs/affinity.md has the figures).
     *
     * @param enabled true to keep connections with their event loop; false (default) for one
     *                idle set in strict FIFO order
     * @return this builder
     */
    public PooledConnectionFactoryBuilder connectionAffinity(boolean enabled) {
        this.connectionAffinity = enabled;
        return this;
    }

    /**
     * Checks every option and builds the factory. The pool starts empty; call
     * {@link PooledConnectionFactory#warmup()} to open {@code minIdle} connections at once.
     *
     * @return a new pooling connection factory
     * @throws InvalidPoolConfigurationException naming the first option out of its range
     */
    public PooledConnectionFactory build() {
        checkPoolOptions();
        ConnectionPolicy policy = policy();
        Scheduler creationOn = CREATION_SCHEDULER.checkGiven(as("creationScheduler"), creationScheduler);
        Mono<ConnectionState> allocator = Mono.defer(() -> Mono.<Connection>from(delegate.create()))
                .subscribeOn(creationOn)
                .flatMap(connection -> Mono.fromCallable(() -> ConnectionState.capture(connection))
                        .onErrorResume(e -> Mono.from(connection.close())
                                .onErrorResume(closeError -> Mono.empty())
                                .then(Mono.error(e))));
        ConnectionValidator validator = new ConnectionValidator(policy);
        ConnectionResetter resetter = new ConnectionResetter(policy);
        PoolBuilder<ConnectionState> pool = Pool.builder(allocator)
                .validator(validator::validate)
                .resetter(resetter::reset)
                .destroyer(ConnectionState::destroy);
        applyPoolOptions(pool);
        listeners.forEach(pool::listener);
        if (connectionAffinity && idleOrder != IdleOrder.LIFO) {
            pool.affinity(ConnectionState::ioExecutor);
        }
        // Every option passed to the core was checked above under the name it was given.
        return new PooledConnectionFactory(delegate, pool.build(), deliverOnConnectionThread);
    }

    /**
     * Checks the options passed to the core pool with the core's rules, under the names they were
     * given (ours, or r2dbc-pool's), against the core's defaults for the options not given, so that
     * the core never reports one of them under its own name.
     */
    private void checkPoolOptions() {
        if (name != null) {
            OptionRule.NAME.checkGiven(as("name"), name);
        }
        int effectiveMaxSize = maxSize != null ? OptionRule.MAX_SIZE.check(as("maxSize"), (int) maxSize)
                : OptionRule.DEFAULT_MAX_SIZE;
        int effectiveMaxIdle = maxIdle != null
                ? OptionRule.MAX_IDLE.checkUpTo(as("maxIdle"), maxIdle, as("maxSize"), effectiveMaxSize)
                : effectiveMaxSize;
        if (minIdle != null) {
            OptionRule.MIN_IDLE.checkUpTo(as("minIdle"), minIdle, as("maxIdle"), effectiveMaxIdle);
        }
        if (initialSize != null) {
            OptionRule.MIN_IDLE.checkUpTo(R2dbcPoolAliases.INITIAL_SIZE, initialSize, as("maxIdle"), effectiveMaxIdle);
        }
        if (maxPending != null) {
            OptionRule.MAX_PENDING.check(as("maxPending"), (int) maxPending);
        }
        checkIfGiven(OptionRule.ACQUIRE_TIMEOUT, "acquireTimeout", acquireTimeout);
        checkIfGiven(OptionRule.CREATE_TIMEOUT, "createTimeout", createTimeout);
        checkIfGiven(OptionRule.DESTROY_TIMEOUT, "destroyTimeout", destroyTimeout);
        checkIfGiven(OptionRule.VALIDATION_TIMEOUT, "validationTimeout", validationTimeout);
        checkIfGiven(OptionRule.SKIP_VALIDATION_WITHIN, "skipValidationWithin", skipValidationWithin);
        checkIfGiven(OptionRule.RESET_TIMEOUT, "resetTimeout", resetTimeout);
        checkIfGiven(OptionRule.IDLE_TIMEOUT, "idleTimeout", idleTimeout);
        checkIfGiven(OptionRule.MAX_LIFETIME, "maxLifetime", maxLifetime);
        if (maxLifetimeJitter != null) {
            OptionRule.MAX_LIFETIME_JITTER.checkBelow(as("maxLifetimeJitter"), maxLifetimeJitter, as("maxLifetime"),
                    maxLifetime != null ? maxLifetime : Duration.ZERO);
        }
        if (maxUses != null) {
            OptionRule.MAX_USES.check(as("maxUses"), (long) maxUses);
        }
        checkIfGiven(OptionRule.EVICTION_INTERVAL, "evictionInterval", evictionInterval);
        checkIfGiven(OptionRule.LEAK_DETECTION_THRESHOLD, "leakDetectionThreshold", leakDetectionThreshold);
        if (creationBackoffInitial != null || creationBackoffMax != null) {
            Duration initial = creationBackoffInitial != null
                    ? OptionRule.CREATION_BACKOFF_INITIAL.check(as("creationBackoffInitial"), creationBackoffInitial)
                    : OptionRule.DEFAULT_BACKOFF_INITIAL;
            OptionRule.CREATION_BACKOFF_MAX.checkAtLeast(as("creationBackoffMax"),
                    creationBackoffMax != null ? creationBackoffMax : OptionRule.DEFAULT_BACKOFF_MAX,
                    as("creationBackoffInitial"), initial);
        }
        checkIfGiven(OptionRule.CLOSE_GRACE_PERIOD, "closeGracePeriod", closeGracePeriod);
        if (holdTimeSampling != null) {
            OptionRule.HOLD_TIME_SAMPLING.check(as("holdTimeSampling"), (int) holdTimeSampling);
        }
        if (maxSizeLimit != null) {
            OptionRule.MAX_SIZE_LIMIT_OPTION.checkAtLeast(as("maxSizeLimit"), maxSizeLimit, as("maxSize"),
                    effectiveMaxSize);
        }
    }

    private void checkIfGiven(OptionRule rule, String option, Duration value) {
        if (value != null) {
            rule.check(as(option), value);
        }
    }

    private ConnectionPolicy policy() {
        VALIDATION_DEPTH.checkGiven(as("validationDepth"), validationDepth);
        REMOTE_VALIDATION_AFTER_IDLE.check(as("remoteValidationAfterIdle"), remoteValidationAfterIdle);
        RESTORED_TIMEOUT.check(as("defaultStatementTimeout"), defaultStatementTimeout);
        RESTORED_TIMEOUT.check(as("defaultLockWaitTimeout"), defaultLockWaitTimeout);
        if (validationQuery != null) {
            QUERY.checkGiven(as("validationQuery"), validationQuery);
        }
        if (resetQuery != null) {
            QUERY.checkGiven(as("resetQuery"), resetQuery);
        }
        return new ConnectionPolicy(validationDepth, remoteValidationAfterIdle, validationQuery, resetQuery,
                defaultStatementTimeout, defaultLockWaitTimeout);
    }

    private void applyPoolOptions(PoolBuilder<ConnectionState> pool) {
        if (name != null) {
            pool.name(name);
        }
        if (maxSize != null) {
            pool.maxSize(maxSize);
        }
        if (minIdle != null || initialSize != null) {
            // r2dbc-pool keeps max(minIdle, initialSize) connections; ours keeps that many idle.
            pool.minIdle(Math.max(minIdle != null ? minIdle : 0, initialSize != null ? initialSize : 0));
        }
        if (maxIdle != null) {
            pool.maxIdle(maxIdle);
        }
        if (maxPending != null) {
            pool.maxPending(maxPending);
        }
        if (acquireTimeout != null) {
            pool.acquireTimeout(acquireTimeout);
        }
        if (createTimeout != null) {
            pool.createTimeout(createTimeout);
        }
        if (destroyTimeout != null) {
            pool.destroyTimeout(destroyTimeout);
        }
        if (validationTimeout != null) {
            pool.validationTimeout(validationTimeout);
        }
        if (skipValidationWithin != null) {
            pool.skipValidationWithin(skipValidationWithin);
        }
        if (resetTimeout != null) {
            pool.resetTimeout(resetTimeout);
        }
        if (idleTimeout != null) {
            pool.idleTimeout(idleTimeout);
        }
        if (maxLifetime != null || maxLifetimeJitter != null) {
            pool.maxLifetime(maxLifetime != null ? maxLifetime : Duration.ZERO,
                    maxLifetimeJitter != null ? maxLifetimeJitter : Duration.ZERO);
        }
        if (maxUses != null) {
            pool.maxUses(maxUses);
        }
        if (idleOrder != null) {
            pool.idleOrder(idleOrder);
        }
        if (evictionInterval != null) {
            pool.evictionInterval(evictionInterval);
        }
        if (leakDetectionThreshold != null) {
            pool.leakDetectionThreshold(leakDetectionThreshold);
        }
        if (creationBackoffInitial != null || creationBackoffMax != null) {
            pool.creationBackoff(
                    creationBackoffInitial != null ? creationBackoffInitial : OptionRule.DEFAULT_BACKOFF_INITIAL,
                    creationBackoffMax != null ? creationBackoffMax : OptionRule.DEFAULT_BACKOFF_MAX);
        }
        if (closeGracePeriod != null) {
            pool.closeGracePeriod(closeGracePeriod);
        }
        if (holdTimeSampling != null) {
            pool.holdTimeSampling(holdTimeSampling);
        }
        if (timerScheduler != null) {
            pool.timerScheduler(timerScheduler);
        }
        if (deliveryScheduler != null) {
            pool.deliveryScheduler(deliveryScheduler);
        }
        if (maxSizeLimit != null) {
            pool.maxSizeLimit(maxSizeLimit);
        }
        pool.registerJmx(registerJmx);
    }
}
