package dev.reactivepool.http.internal;

import java.time.Duration;

import dev.reactivepool.IdleOrder;
import dev.reactivepool.InvalidPoolConfigurationException;
import dev.reactivepool.internal.OptionRule;

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
 * @param connectionAffinity idle connections kept per event loop (the core's EXECUTOR affinity); FIFO only
 */
public record HostPoolSettings(
        int maxConnections,
        int maxIdle,
        int maxPending,
        Duration pendingTimeout,
        Duration idleTimeout,
        Duration maxLifetime,
        Duration lifetimeJitter,
        IdleOrder idleOrder,
        boolean connectionAffinity) {

    /** The pending limit as the HTTP builder takes it: the core's range, plus -1 for unbounded. */
    private static final OptionRule PENDING_ACQUIRE_MAX_COUNT = OptionRule.intRange("pendingAcquireMaxCount", 0,
            Integer.MAX_VALUE, OptionRule.MAX_PENDING.range() + ", or -1 for unbounded");

    /**
     * Checks every option with the core's rules ({@link OptionRule}) under the names of the HTTP
     * builder's methods, and throws naming the first one out of range.
     *
     * @throws InvalidPoolConfigurationException naming the offending option and its allowed range
     */
    public HostPoolSettings {
        OptionRule.MAX_SIZE.check("maxConnections", maxConnections);
        OptionRule.MAX_IDLE.checkUpTo("maxIdle", maxIdle, "maxConnections", maxConnections);
        PENDING_ACQUIRE_MAX_COUNT.check("pendingAcquireMaxCount", maxPending);
        OptionRule.ACQUIRE_TIMEOUT.check("pendingAcquireTimeout", pendingTimeout);
        OptionRule.IDLE_TIMEOUT.check("maxIdleTime", idleTimeout);
        OptionRule.MAX_LIFETIME.check("maxLifeTime", maxLifetime);
        OptionRule.MAX_LIFETIME_JITTER.checkBelow("maxLifeTime jitter", lifetimeJitter, "maxLifeTime", maxLifetime);
        OptionRule.IDLE_ORDER.checkGiven("idleOrder", idleOrder);
        if (connectionAffinity && idleOrder == IdleOrder.LIFO) {
            // The core rejects it too, but under its own name and only at the host's first request.
            throw new InvalidPoolConfigurationException("connectionAffinity",
                    "false while idleOrder is LIFO (affinity keeps each event loop's idle connections in FIFO"
                            + " order)", "true");
        }
    }
}
