package dev.reactivepool.http.internal;

import java.time.Duration;

import dev.reactivepool.IdleOrder;
import dev.reactivepool.InvalidPoolConfigurationException;

/**
 * The checked, immutable options of the pool of one remote host.
 *
 * @param maxConnections  hard limit on connections to the host: idle, leased and being opened or closed
 * @param maxIdle         idle cap: a released connection that would exceed it is closed
 * @param maxPending      acquirers allowed to wait; {@link Integer#MAX_VALUE} for unbounded
 * @param pendingTimeout  how long an acquirer may wait for a connection, opening included
 * @param idleTimeout     idle connections older than this are closed; zero disables
 * @param maxLifetime     connections older than this are closed when idle or returned; zero disables
 * @param lifetimeJitter  random part subtracted from {@code maxLifetime} per connection
 * @param idleOrder       which idle connection is reused first
 */
public record HostPoolSettings(
        int maxConnections,
        int maxIdle,
        int maxPending,
        Duration pendingTimeout,
        Duration idleTimeout,
        Duration maxLifetime,
        Duration lifetimeJitter,
        IdleOrder idleOrder) {

    /**
     * Checks every option and throws naming the first one out of range.
     *
     * @throws InvalidPoolConfigurationException naming the offending option and its allowed range
     */
    public HostPoolSettings {
        if (maxConnections < 1) {
            throw new InvalidPoolConfigurationException("maxConnections",
                    "must be at least 1, was " + maxConnections);
        }
        if (maxIdle < 0 || maxIdle > maxConnections) {
            throw new InvalidPoolConfigurationException("maxIdle",
                    "must be between 0 and maxConnections (" + maxConnections + "), was " + maxIdle);
        }
        if (maxPending < 0) {
            throw new InvalidPoolConfigurationException("pendingAcquireMaxCount",
                    "must be at least 0 (or -1 for unbounded), was " + maxPending);
        }
        requirePositive("pendingAcquireTimeout", pendingTimeout);
        requireNotNegative("maxIdleTime", idleTimeout);
        requireNotNegative("maxLifeTime", maxLifetime);
        requireNotNegative("maxLifeTime jitter", lifetimeJitter);
        if (!maxLifetime.isZero() && lifetimeJitter.compareTo(maxLifetime) >= 0) {
            throw new InvalidPoolConfigurationException("maxLifeTime jitter",
                    "must be less than maxLifeTime (" + maxLifetime + "), was " + lifetimeJitter);
        }
        if (idleOrder == null) {
            throw new InvalidPoolConfigurationException("idleOrder", "must be FIFO or LIFO, was null");
        }
    }

    static void requirePositive(String option, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidPoolConfigurationException(option, "must be a positive duration, was " + value);
        }
    }

    static void requireNotNegative(String option, Duration value) {
        if (value == null || value.isNegative()) {
            throw new InvalidPoolConfigurationException(option,
                    "must be zero (disabled) or a positive duration, was " + value);
        }
    }
}
