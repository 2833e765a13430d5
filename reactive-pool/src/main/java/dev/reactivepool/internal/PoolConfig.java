package dev.reactivepool.internal;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.reactivepool.IdleOrder;
import dev.reactivepool.InvalidPoolConfigurationException;
import dev.reactivepool.PoolListener;
import org.reactivestreams.Publisher;
import reactor.core.scheduler.Scheduler;

/**
 * The immutable, checked configuration of one pool, as collected by
 * {@link dev.reactivepool.PoolBuilder}. Durations of zero mean "disabled" where the builder
 * documents it.
 *
 * <p>{@code maxSizeLimit} is the largest maxSize {@link dev.reactivepool.Pool#resize} may set (the
 * idle and hand-off queues are preallocated to it); {@code registerJmx} registers a
 * {@link dev.reactivepool.PoolMXBean}.
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
        boolean lostLeaseDetection,
        int maxLeasesPerObject,
        int maxSizeLimit,
        boolean registerJmx,
        List<PoolListener<? super T>> listeners,
        dev.reactivepool.Affinity affinity,
        Function<? super T, ? extends java.util.concurrent.Executor> affinityExecutor) {

    /** The largest accepted maxSize: the idle and hand-off queues are preallocated to it. */
    public static final int MAX_SIZE_LIMIT = OptionRule.MAX_SIZE_LIMIT;

    /** The longest accepted duration; longer ones overflow nanosecond arithmetic in timers. */
    public static final Duration MAX_DURATION = OptionRule.MAX_DURATION;

    /**
     * Checks every option under the core builder's names, in the order the builder documents
     * them, with the rules of {@link OptionRule}.
     *
     * @throws InvalidPoolConfigurationException naming the first option out of range
     */
    public void validate() {
        OptionRule.NAME.checkGiven("name", name);
        OptionRule.MAX_SIZE.check("maxSize", maxSize);
        OptionRule.MAX_IDLE.checkUpTo("maxIdle", maxIdle, "maxSize", maxSize);
        OptionRule.MIN_IDLE.checkUpTo("minIdle", minIdle, "maxIdle", maxIdle);
        OptionRule.MAX_PENDING.check("maxPending", maxPending);
        OptionRule.ACQUIRE_TIMEOUT.check("acquireTimeout", acquireTimeout);
        OptionRule.CREATE_TIMEOUT.check("createTimeout", createTimeout);
        OptionRule.DESTROY_TIMEOUT.check("destroyTimeout", destroyTimeout);
        OptionRule.VALIDATION_TIMEOUT.check("validationTimeout", validationTimeout);
        OptionRule.SKIP_VALIDATION_WITHIN.check("skipValidationWithin", skipValidationWithin);
        OptionRule.RESET_TIMEOUT.check("resetTimeout", resetTimeout);
        OptionRule.DESTROYER.checkGiven("destroyer", destroyer);
        OptionRule.IDLE_TIMEOUT.check("idleTimeout", idleTimeout);
        OptionRule.MAX_LIFETIME.check("maxLifetime", maxLifetime);
        OptionRule.MAX_LIFETIME_JITTER.checkBelow("maxLifetimeJitter", maxLifetimeJitter, "maxLifetime", maxLifetime);
        OptionRule.MAX_USES.check("maxUses", maxUses);
        OptionRule.IDLE_ORDER.checkGiven("idleOrder", idleOrder);
        OptionRule.EVICTION_INTERVAL.check("evictionInterval", evictionInterval);
        OptionRule.TIMER_SCHEDULER.checkGiven("timerScheduler", timerScheduler);
        OptionRule.LEAK_DETECTION_THRESHOLD.check("leakDetectionThreshold", leakDetectionThreshold);
        OptionRule.CREATION_BACKOFF_INITIAL.check("creationBackoff.initial", backoffInitial);
        OptionRule.CREATION_BACKOFF_MAX.checkAtLeast("creationBackoff.max", backoffMax, "creationBackoff.initial",
                backoffInitial);
        OptionRule.CLOSE_GRACE_PERIOD.check("closeGracePeriod", closeGracePeriod);
        OptionRule.HOLD_TIME_SAMPLING.check("holdTimeSampling", holdTimeSampling);
        OptionRule.MAX_LEASES_PER_OBJECT.check("maxLeasesPerObject", maxLeasesPerObject);
        OptionRule.MAX_SIZE_LIMIT_OPTION.checkAtLeast("maxSizeLimit", maxSizeLimit, "maxSize", maxSize);
        for (PoolListener<? super T> listener : listeners) {
            if (listener == null) {
                throw new InvalidPoolConfigurationException("listener", "a non-null PoolListener", "null");
            }
        }
        AffinityRule.check(affinity, affinityExecutor, idleOrder);
        if (maxLeasesPerObject > 1 && affinity != dev.reactivepool.Affinity.NONE) {
            // Shared leases pick the least-leased object among all; per-thread idle lanes would fight that choice.
            throw new InvalidPoolConfigurationException("affinity", "NONE when maxLeasesPerObject > 1", affinity.name());
        }
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
