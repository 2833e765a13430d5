package dev.reactivepool.internal;

import java.time.Duration;
import java.util.List;

import dev.reactivepool.InvalidPoolConfigurationException;

/**
 * The range of one pool option, stated once and checked under whatever name the caller gives the
 * option: the core's builder method, an adapter's builder method or URL option, a framework's
 * property. The constants are the table of the core pool's options; {@link PoolConfig#validate()}
 * checks them under the core's names, and the adapters of this project (HTTP, R2DBC) and its
 * framework integrations check the options they pass to the core with these same rules under
 * their own names, at their own {@code build()}, so that an out-of-range value never reaches the
 * core under a name the user did not write.
 *
 * <p>Every check throws {@link InvalidPoolConfigurationException} with the name given, the range
 * ({@link #range()}, plus the bound for relative rules) and the value; it returns the value
 * otherwise. Internal API: used by the project's own modules, not by applications.
 */
public final class OptionRule {

    /** The largest accepted maxSize: the idle and hand-off queues are preallocated to it. */
    public static final int MAX_SIZE_LIMIT = 100_000;

    /** The longest accepted duration; longer ones overflow nanosecond arithmetic in timers. */
    public static final Duration MAX_DURATION = Duration.ofDays(365);

    /** The core's default maxSize. */
    public static final int DEFAULT_MAX_SIZE = 10;

    /** The core's default first pause of the creation backoff. */
    public static final Duration DEFAULT_BACKOFF_INITIAL = Duration.ofMillis(100);

    /** The core's default largest pause of the creation backoff. */
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(5);

    private static final String DAYS = MAX_DURATION.toDays() + " days";

    /** {@code name}: non-blank text. */
    public static final OptionRule NAME = nonBlank("name");
    /** {@code maxSize}: 1 to {@value #MAX_SIZE_LIMIT}. */
    public static final OptionRule MAX_SIZE = intRange("maxSize", 1, MAX_SIZE_LIMIT,
            "at least 1 and at most " + MAX_SIZE_LIMIT);
    /** {@code maxIdle}: 0 to maxSize; check with {@link #checkUpTo}. */
    public static final OptionRule MAX_IDLE = intRange("maxIdle", 0, MAX_SIZE_LIMIT, "between 0 and maxSize");
    /** {@code minIdle}: 0 to maxIdle; check with {@link #checkUpTo}. */
    public static final OptionRule MIN_IDLE = intRange("minIdle", 0, MAX_SIZE_LIMIT, "between 0 and maxIdle");
    /** {@code maxPending}: 0 (never wait) or more. */
    public static final OptionRule MAX_PENDING = intRange("maxPending", 0, Integer.MAX_VALUE,
            "at least 0 (0: never wait)");
    /** {@code acquireTimeout}: positive, at most 365 days. */
    public static final OptionRule ACQUIRE_TIMEOUT = positiveDuration("acquireTimeout");
    /** {@code createTimeout}: positive, at most 365 days. */
    public static final OptionRule CREATE_TIMEOUT = positiveDuration("createTimeout");
    /** {@code destroyTimeout}: positive, at most 365 days. */
    public static final OptionRule DESTROY_TIMEOUT = positiveDuration("destroyTimeout");
    /** {@code validationTimeout}: positive, at most 365 days. */
    public static final OptionRule VALIDATION_TIMEOUT = positiveDuration("validationTimeout");
    /** {@code skipValidationWithin}: zero or positive, at most 365 days. */
    public static final OptionRule SKIP_VALIDATION_WITHIN = zeroOrPositiveDuration("skipValidationWithin");
    /** {@code resetTimeout}: positive, at most 365 days. */
    public static final OptionRule RESET_TIMEOUT = positiveDuration("resetTimeout");
    /** {@code destroyer}: not null. */
    public static final OptionRule DESTROYER = notNull("destroyer",
            "a non-null function (the default destroyer does nothing)");
    /** {@code idleTimeout}: zero (disabled) or positive, at most 365 days. */
    public static final OptionRule IDLE_TIMEOUT = zeroOrPositiveDuration("idleTimeout");
    /** {@code maxLifetime}: zero (disabled) or positive, at most 365 days. */
    public static final OptionRule MAX_LIFETIME = zeroOrPositiveDuration("maxLifetime");
    /** {@code maxLifetimeJitter}: zero, or less than maxLifetime; check with {@link #checkBelow}. */
    public static final OptionRule MAX_LIFETIME_JITTER = zeroOrPositiveDuration("maxLifetimeJitter");
    /** {@code maxUses}: at least 1. */
    public static final OptionRule MAX_USES = intRange("maxUses", 1, Long.MAX_VALUE, "at least 1");
    /** {@code idleOrder}: FIFO or LIFO. */
    public static final OptionRule IDLE_ORDER = notNull("idleOrder", "FIFO or LIFO");
    /** {@code evictionInterval}: 1 ms to 365 days. */
    public static final OptionRule EVICTION_INTERVAL = new OptionRule("evictionInterval", Kind.DURATION,
            "at least 1 ms and at most " + DAYS, 0, 0, Duration.ofMillis(1));
    /** {@code timerScheduler}: not null. */
    public static final OptionRule TIMER_SCHEDULER = notNull("timerScheduler", "a non-null scheduler");
    /** {@code leakDetectionThreshold}: zero (disabled) or positive, at most 365 days. */
    public static final OptionRule LEAK_DETECTION_THRESHOLD = zeroOrPositiveDuration("leakDetectionThreshold");
    /** {@code creationBackoff.initial}: positive, at most 365 days. */
    public static final OptionRule CREATION_BACKOFF_INITIAL = positiveDuration("creationBackoff.initial");
    /** {@code creationBackoff.max}: positive, at least the initial pause; check with {@link #checkAtLeast}. */
    public static final OptionRule CREATION_BACKOFF_MAX = positiveDuration("creationBackoff.max");
    /** {@code closeGracePeriod}: zero or positive, at most 365 days. */
    public static final OptionRule CLOSE_GRACE_PERIOD = zeroOrPositiveDuration("closeGracePeriod");
    /** {@code holdTimeSampling}: 0 (never), 1 (every lease) or more. */
    public static final OptionRule HOLD_TIME_SAMPLING = intRange("holdTimeSampling", 0, Integer.MAX_VALUE,
            "0 (never), 1 (every lease) or more");
    /**
     * {@code maxSizeLimit}: maxSize to {@value #MAX_SIZE_LIMIT}, the largest maxSize a resize may
     * set; check with {@link #checkAtLeast(String, int, String, int)}. A resize checks its new
     * maxSize with {@link #MAX_SIZE} and {@link #checkUpTo} against it.
     */
    public static final OptionRule MAX_SIZE_LIMIT_OPTION = intRange("maxSizeLimit", 1, MAX_SIZE_LIMIT,
            "between maxSize and " + MAX_SIZE_LIMIT);

    /** The largest accepted maxLeasesPerObject: a lease count fits 16 bits of an object's share state. */
    public static final int MAX_LEASES_PER_OBJECT_LIMIT = 65_535;
    /** {@code maxLeasesPerObject}: 1 (one lease per object) to {@value #MAX_LEASES_PER_OBJECT_LIMIT}. */
    public static final OptionRule MAX_LEASES_PER_OBJECT = intRange("maxLeasesPerObject", 1,
            MAX_LEASES_PER_OBJECT_LIMIT, "at least 1 (one lease per object) and at most " + MAX_LEASES_PER_OBJECT_LIMIT);
    /** {@code affinity}: NONE, THREAD or EXECUTOR. */
    public static final OptionRule AFFINITY = notNull("affinity", "NONE, THREAD or EXECUTOR");

    /** Every rule of the core's options, in the order {@link PoolConfig#validate()} checks them. */
    public static final List<OptionRule> CORE = List.of(NAME, MAX_SIZE, MAX_IDLE, MIN_IDLE, MAX_PENDING,
            ACQUIRE_TIMEOUT, CREATE_TIMEOUT, DESTROY_TIMEOUT, VALIDATION_TIMEOUT, SKIP_VALIDATION_WITHIN,
            RESET_TIMEOUT, DESTROYER, IDLE_TIMEOUT, MAX_LIFETIME, MAX_LIFETIME_JITTER, MAX_USES, IDLE_ORDER,
            EVICTION_INTERVAL, TIMER_SCHEDULER, LEAK_DETECTION_THRESHOLD, CREATION_BACKOFF_INITIAL,
            CREATION_BACKOFF_MAX, CLOSE_GRACE_PERIOD, HOLD_TIME_SAMPLING, MAX_LEASES_PER_OBJECT, AFFINITY);

    private enum Kind { INTEGER, DURATION, NOT_NULL, NON_BLANK }

    private final String option;
    private final Kind kind;
    private final String range;
    private final long min;
    private final long max;
    private final Duration minDuration;

    private OptionRule(String option, Kind kind, String range, long min, long max, Duration minDuration) {
        this.option = option;
        this.kind = kind;
        this.range = range;
        this.min = min;
        this.max = max;
        this.minDuration = minDuration;
    }

    /**
     * A rule for an integer option.
     *
     * @param option the option's name in the table
     * @param min    smallest accepted value
     * @param max    largest accepted value
     * @param range  the range as text, completing "must be ..."
     * @return the rule
     */
    public static OptionRule intRange(String option, long min, long max, String range) {
        return new OptionRule(option, Kind.INTEGER, range, min, max, null);
    }

    /**
     * @param option the option's name in the table
     * @return a rule accepting positive durations of at most 365 days
     */
    public static OptionRule positiveDuration(String option) {
        return new OptionRule(option, Kind.DURATION, "a positive duration of at most " + DAYS, 0, 0,
                Duration.ofNanos(1));
    }

    /**
     * A rule for a duration from {@code min} to 365 days.
     *
     * @param option the option's name in the table
     * @param min    the shortest accepted duration
     * @param range  what the option accepts below the maximum, for example
     *               {@code zero (no timeout) or a positive duration}; "of at most 365 days" is added
     * @return the rule
     */
    public static OptionRule durationRange(String option, Duration min, String range) {
        return new OptionRule(option, Kind.DURATION, range + " of at most " + DAYS, 0, 0, min);
    }

    /**
     * @param option the option's name in the table
     * @return a rule accepting zero (disabled) or positive durations of at most 365 days
     */
    public static OptionRule zeroOrPositiveDuration(String option) {
        return new OptionRule(option, Kind.DURATION, "zero (disabled) or a positive duration of at most " + DAYS,
                0, 0, Duration.ZERO);
    }

    /**
     * @param option the option's name in the table
     * @param range  what the option accepts, completing "must be ...", for example {@code FIFO or LIFO}
     * @return a rule refusing null
     */
    public static OptionRule notNull(String option, String range) {
        return new OptionRule(option, Kind.NOT_NULL, range, 0, 0, null);
    }

    /**
     * @param option the option's name in the table
     * @return a rule accepting non-blank text
     */
    public static OptionRule nonBlank(String option) {
        return new OptionRule(option, Kind.NON_BLANK, "a non-blank string", 0, 0, null);
    }

    /** @return the option's name in this table (the core builder's name for the core's rules) */
    public String option() {
        return option;
    }

    /**
     * @return what the option accepts, as text completing "must be ..." (for a rule relative to
     *         another option, the bound is named after the core's option and its value is added
     *         when checked)
     */
    public String range() {
        return range;
    }

    /**
     * Checks an integer option.
     *
     * @param as    the option's name as the caller wrote it
     * @param value the value
     * @return the value
     * @throws InvalidPoolConfigurationException naming {@code as} when the value is out of range
     */
    public long check(String as, long value) {
        requireKind(Kind.INTEGER);
        if (value < min || value > max) {
            throw new InvalidPoolConfigurationException(as, range, String.valueOf(value));
        }
        return value;
    }

    /**
     * Checks an integer option, for {@code int} values.
     *
     * @param as    the option's name as the caller wrote it
     * @param value the value
     * @return the value
     * @throws InvalidPoolConfigurationException naming {@code as} when the value is out of range
     */
    public int check(String as, int value) {
        return (int) check(as, (long) value);
    }

    /**
     * Checks an integer option whose upper bound is another option ({@code maxIdle} at most
     * {@code maxSize}, {@code minIdle} at most {@code maxIdle}).
     *
     * @param as      the option's name as the caller wrote it
     * @param value   the value
     * @param boundAs the bounding option's name as the caller wrote it (or would have)
     * @param bound   the bounding option's value
     * @return the value
     * @throws InvalidPoolConfigurationException naming {@code as} when the value is out of range
     */
    public int checkUpTo(String as, int value, String boundAs, int bound) {
        requireKind(Kind.INTEGER);
        if (value < min || value > bound) {
            throw new InvalidPoolConfigurationException(as,
                    "between " + min + " and " + boundAs + " (" + bound + ")", String.valueOf(value));
        }
        return value;
    }

    /**
     * Checks an integer option that must also be at least another option's value
     * ({@code maxSizeLimit} at least {@code maxSize}).
     *
     * @param as      the option's name as the caller wrote it
     * @param value   the value
     * @param boundAs the bounding option's name as the caller wrote it
     * @param bound   the bounding option's value
     * @return the value
     * @throws InvalidPoolConfigurationException naming {@code as} when the value is out of range
     */
    public int checkAtLeast(String as, int value, String boundAs, int bound) {
        requireKind(Kind.INTEGER);
        if (value < Math.max(min, bound) || value > max) {
            throw new InvalidPoolConfigurationException(as,
                    "between " + boundAs + " (" + bound + ") and " + max, String.valueOf(value));
        }
        return value;
    }

    /**
     * Checks a duration option.
     *
     * @param as    the option's name as the caller wrote it
     * @param value the value, null refused
     * @return the value
     * @throws InvalidPoolConfigurationException naming {@code as} when the value is out of range
     */
    public Duration check(String as, Duration value) {
        requireKind(Kind.DURATION);
        if (value == null || value.compareTo(minDuration) < 0 || value.compareTo(MAX_DURATION) > 0) {
            throw new InvalidPoolConfigurationException(as, range, String.valueOf(value));
        }
        return value;
    }

    /**
     * Checks a duration option that must be zero or less than another option
     * ({@code maxLifetimeJitter} below {@code maxLifetime}).
     *
     * @param as      the option's name as the caller wrote it
     * @param value   the value
     * @param boundAs the bounding option's name as the caller wrote it (or would have)
     * @param bound   the bounding option's value
     * @return the value
     * @throws InvalidPoolConfigurationException naming {@code as} when the value is out of range
     */
    public Duration checkBelow(String as, Duration value, String boundAs, Duration bound) {
        check(as, value);
        if (!value.isZero() && value.compareTo(bound) >= 0) {
            throw new InvalidPoolConfigurationException(as, "less than " + boundAs + " (" + bound + ")",
                    String.valueOf(value));
        }
        return value;
    }

    /**
     * Checks a duration option that must be at least another option ({@code creationBackoff.max}
     * at least {@code creationBackoff.initial}).
     *
     * @param as      the option's name as the caller wrote it
     * @param value   the value
     * @param boundAs the bounding option's name as the caller wrote it (or would have)
     * @param bound   the bounding option's value
     * @return the value
     * @throws InvalidPoolConfigurationException naming {@code as} when the value is out of range
     */
    public Duration checkAtLeast(String as, Duration value, String boundAs, Duration bound) {
        check(as, value);
        if (value.compareTo(bound) < 0) {
            throw new InvalidPoolConfigurationException(as, "at least " + boundAs + " (" + bound + ")",
                    String.valueOf(value));
        }
        return value;
    }

    /**
     * Checks an option that must be given: a not-null rule, or a non-blank one for text.
     *
     * @param as    the option's name as the caller wrote it
     * @param value the value
     * @param <V>   the value's type
     * @return the value
     * @throws InvalidPoolConfigurationException naming {@code as} when the value is null or blank
     */
    public <V> V checkGiven(String as, V value) {
        if (kind == Kind.NON_BLANK) {
            if (!(value instanceof CharSequence) || value.toString().isBlank()) {
                throw new InvalidPoolConfigurationException(as, range,
                        value == null ? "null" : "'" + value + "'");
            }
            return value;
        }
        requireKind(Kind.NOT_NULL);
        if (value == null) {
            throw new InvalidPoolConfigurationException(as, range, "null");
        }
        return value;
    }

    private void requireKind(Kind expected) {
        if (kind != expected) {
            throw new IllegalStateException("option rule " + option + " is a " + kind + " rule, not " + expected);
        }
    }

    @Override
    public String toString() {
        return option + ": " + range;
    }
}
