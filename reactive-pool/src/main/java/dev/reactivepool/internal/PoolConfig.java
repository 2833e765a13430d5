package dev.reactivepool.internal;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.reactivepool.IdleOrder;
import dev.reactivepool.InvalidPoolConfigurationException;
import org.reactivestreams.Publisher;
import reactor.core.scheduler.Scheduler;

/**
 * The immutable, checked configuration of one pool, as collected by
 * {@link dev.reactivepool.PoolBuilder}. Durations of zero mean "disabled" where the builder
 * documents it.
 *
 * @param <T> the type of the pooled objects
 */
public record PoolConfig<T>(
        Publisher<? extends T> allocator,
        String name,
        int maxSize,
        int minIdle,
        int maxIdle,
        int maxPending,
        Duration acquireTimeout,
        Duration createTimeout,
        Duration destroyTimeout,
        Function<? super T, ? extends Publisher<Boolean>> validator,
        Duration validationTimeout,
        Duration skipValidationWithin,
        Function<? super T, ? extends Publisher<Void>> resetter,
        Duration resetTimeout,
        Function<? super T, ? extends Publisher<Void>> destroyer,
        Predicate<? super T> evictionPredicate,
        Duration idleTimeout,
        Duration maxLifetime,
        Duration maxLifetimeJitter,
        long maxUses,
        IdleOrder idleOrder,
        Duration evictionInterval,
        Scheduler timerScheduler,
        Scheduler deliveryScheduler,
        Duration leakDetectionThreshold,
        Duration backoffInitial,
        Duration backoffMax,
        Duration closeGracePeriod,
        int holdTimeSampling,
        boolean lostLeaseDetection) {

    /** The largest accepted maxSize: the idle and hand-off queues are preallocated to it. */
    public static final int MAX_SIZE_LIMIT = 100_000;

    /** The longest accepted duration; longer ones overflow nanosecond arithmetic in timers. */
    public static final Duration MAX_DURATION = Duration.ofDays(365);

    /**
     * Checks every option, in the order the builder documents them.
     *
     * @throws InvalidPoolConfigurationException naming the first option out of range
     */
    public void validate() {
        if (name == null || name.isBlank()) {
            throw invalid("name", "must be a non-blank string, was " + (name == null ? "null" : "'" + name + "'"));
        }
        if (maxSize < 1 || maxSize > MAX_SIZE_LIMIT) {
            throw invalid("maxSize", "must be at least 1 and at most " + MAX_SIZE_LIMIT + ", was " + maxSize);
        }
        if (maxIdle < 0 || maxIdle > maxSize) {
            throw invalid("maxIdle", "must be between 0 and maxSize (" + maxSize + "), was " + maxIdle);
        }
        if (minIdle < 0 || minIdle > maxIdle) {
            throw invalid("minIdle", "must be between 0 and maxIdle (" + maxIdle + "), was " + minIdle);
        }
        if (maxPending < 0) {
            throw invalid("maxPending", "must be at least 0 (0: never wait), was " + maxPending);
        }
        positive("acquireTimeout", acquireTimeout);
        positive("createTimeout", createTimeout);
        positive("destroyTimeout", destroyTimeout);
        positive("validationTimeout", validationTimeout);
        zeroOrPositive("skipValidationWithin", skipValidationWithin);
        positive("resetTimeout", resetTimeout);
        if (destroyer == null) {
            throw invalid("destroyer", "must not be null (the default destroyer does nothing)");
        }
        zeroOrPositive("idleTimeout", idleTimeout);
        zeroOrPositive("maxLifetime", maxLifetime);
        zeroOrPositive("maxLifetimeJitter", maxLifetimeJitter);
        if (!maxLifetimeJitter.isZero() && maxLifetimeJitter.compareTo(maxLifetime) >= 0) {
            throw invalid("maxLifetimeJitter", "must be less than maxLifetime (" + maxLifetime + "), was "
                    + maxLifetimeJitter);
        }
        if (maxUses < 1) {
            throw invalid("maxUses", "must be at least 1, was " + maxUses);
        }
        if (idleOrder == null) {
            throw invalid("idleOrder", "must be FIFO or LIFO, was null");
        }
        if (evictionInterval == null || evictionInterval.compareTo(MAX_DURATION) > 0 || evictionInterval.toMillis() < 1) {
            throw invalid("evictionInterval", "must be at least 1 ms and at most " + MAX_DURATION.toDays()
                    + " days, was " + evictionInterval);
        }
        if (timerScheduler == null) {
            throw invalid("timerScheduler", "must not be null");
        }
        zeroOrPositive("leakDetectionThreshold", leakDetectionThreshold);
        positive("creationBackoff.initial", backoffInitial);
        positive("creationBackoff.max", backoffMax);
        if (backoffMax.compareTo(backoffInitial) < 0) {
            throw invalid("creationBackoff.max", "must be at least creationBackoff.initial (" + backoffInitial
                    + "), was " + backoffMax);
        }
        zeroOrPositive("closeGracePeriod", closeGracePeriod);
        if (holdTimeSampling < 0) {
            throw invalid("holdTimeSampling", "must be 0 (never), 1 (every lease) or more, was " + holdTimeSampling);
        }
    }

    private static void positive(String option, Duration value) {
        if (value == null || value.isNegative() || value.isZero() || value.compareTo(MAX_DURATION) > 0) {
            throw invalid(option, "must be a positive duration of at most " + MAX_DURATION.toDays() + " days, was "
                    + value);
        }
    }

    private static void zeroOrPositive(String option, Duration value) {
        if (value == null || value.isNegative() || value.compareTo(MAX_DURATION) > 0) {
            throw invalid(option, "must be zero (disabled) or a positive duration of at most " + MAX_DURATION.toDays()
                    + " days, was " + value);
        }
    }

    private static InvalidPoolConfigurationException invalid(String option, String message) {
        return new InvalidPoolConfigurationException(option, message);
    }

    /** @return true when released objects must be counted against a cap smaller than maxSize */
    boolean idleCapped() {
        return maxIdle < maxSize;
    }

    /** @return true when a validator with a positive skip window is configured */
    boolean validationSkippable() {
        return validator != null && !skipValidationWithin.isZero();
    }
}
