package dev.reactivepool.http;

import java.time.Duration;

import dev.reactivepool.IdleOrder;
import dev.reactivepool.InvalidPoolConfigurationException;
import dev.reactivepool.http.internal.HostPoolSettings;

/**
 * The options of the connection pool kept for each remote host. The provider's
 * {@link ReactivePoolConnectionProvider.Builder} holds one spec for every host and can override it
 * per host with {@link ReactivePoolConnectionProvider.Builder#forRemoteHost}.
 *
 * <p>Setters only record values; the provider's {@code build()} checks them and throws
 * {@link InvalidPoolConfigurationException} naming the first option out of range.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th></tr>
 *   <tr><td>{@link #maxConnections(int)}</td><td>16</td></tr>
 *   <tr><td>{@link #maxIdle(int)}</td><td>{@code maxConnections} (no cap)</td></tr>
 *   <tr><td>{@link #pendingAcquireMaxCount(int)}</td><td>{@code 2 * maxConnections}</td></tr>
 *   <tr><td>{@link #pendingAcquireTimeout(Duration)}</td><td>45 s</td></tr>
 *   <tr><td>{@link #maxIdleTime(Duration)}</td><td>disabled</td></tr>
 *   <tr><td>{@link #maxLifeTime(Duration, Duration)}</td><td>disabled</td></tr>
 *   <tr><td>{@link #fifo()} / {@link #lifo()}</td><td>FIFO</td></tr>
 *   <tr><td>{@link #connectionAffinity(boolean)}</td><td>false</td></tr>
 * </table>
 */
public final class HostPoolSpec {

    /** The default maximum number of connections per host. */
    public static final int DEFAULT_MAX_CONNECTIONS = 16;
    /** The default pending acquire timeout, the same as Reactor Netty's. */
    public static final Duration DEFAULT_PENDING_ACQUIRE_TIMEOUT = Duration.ofSeconds(45);

    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private Integer maxIdle;
    private Integer maxPending;
    private Duration pendingTimeout = DEFAULT_PENDING_ACQUIRE_TIMEOUT;
    private Duration idleTimeout = Duration.ZERO;
    private Duration maxLifetime = Duration.ZERO;
    private Duration lifetimeJitter = Duration.ZERO;
    private IdleOrder idleOrder = IdleOrder.FIFO;
    private boolean connectionAffinity;

    HostPoolSpec() {
    }

    HostPoolSpec(HostPoolSpec from) {
        this.maxConnections = from.maxConnections;
        this.maxIdle = from.maxIdle;
        this.maxPending = from.maxPending;
        this.pendingTimeout = from.pendingTimeout;
        this.idleTimeout = from.idleTimeout;
        this.maxLifetime = from.maxLifetime;
        this.lifetimeJitter = from.lifetimeJitter;
        this.idleOrder = from.idleOrder;
        this.connectionAffinity = from.connectionAffinity;
    }

    /**
     * The hard limit on connections to one host: idle, leased, and those being opened or closed
     * all count. With HTTP/2 it is also the number of HTTP/2 connections per host.
     *
     * @param maxConnections from 1 to 100,000; default 16
     * @return this spec
     */
    public HostPoolSpec maxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
        return this;
    }

    /**
     * The idle cap: a connection released while {@code maxIdle} connections to the host are
     * already idle is closed instead of kept, so that a burst does not leave many idle connections
     * behind. Reactor Netty's own pool has no such cap.
     *
     * @param maxIdle from 0 to {@code maxConnections}; default {@code maxConnections}
     * @return this spec
     */
    public HostPoolSpec maxIdle(int maxIdle) {
        this.maxIdle = maxIdle;
        return this;
    }

    /**
     * How many acquirers may wait for a connection to the host; past it a request fails at once
     * with {@link dev.reactivepool.PoolExhaustedException}.
     *
     * @param maxPending at least 0, or -1 for unbounded; default {@code 2 * maxConnections}
     * @return this spec
     */
    public HostPoolSpec pendingAcquireMaxCount(int maxPending) {
        this.maxPending = maxPending;
        return this;
    }

    /**
     * How long a request may wait for a connection (opening it included) before it fails with
     * {@link dev.reactivepool.AcquireTimeoutException}.
     *
     * @param timeout positive, at most 365 days; default 45 s
     * @return this spec
     */
    public HostPoolSpec pendingAcquireTimeout(Duration timeout) {
        this.pendingTimeout = timeout;
        return this;
    }

    /**
     * Closes connections idle for longer than this. A connection idle past it is also refused at
     * acquire, before the background eviction gets to it, so set it below the server's keep-alive
     * timeout to never send a request on a connection the server is closing.
     *
     * @param idleTimeout zero (disabled, the default) or positive, at most 365 days
     * @return this spec
     */
    public HostPoolSpec maxIdleTime(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
        return this;
    }

    /**
     * Closes connections older than {@code maxLifetime} minus a random part of {@code jitter}
     * (drawn per connection, so that connections opened together do not all close together). A
     * connection in use is closed when it is returned, never taken from its user.
     *
     * @param maxLifetime zero (disabled, the default) or positive, at most 365 days
     * @param jitter      from zero to less than {@code maxLifetime}
     * @return this spec
     */
    public HostPoolSpec maxLifeTime(Duration maxLifetime, Duration jitter) {
        this.maxLifetime = maxLifetime;
        this.lifetimeJitter = jitter;
        return this;
    }

    /**
     * Reuses the connection idle longest first (the default): every idle connection keeps
     * circulating.
     *
     * @return this spec
     */
    public HostPoolSpec fifo() {
        this.idleOrder = IdleOrder.FIFO;
        return this;
    }

    /**
     * Reuses the connection released most recently first: a small hot set does the work and the
     * rest reach the idle timeout.
     *
     * @return this spec
     */
    public HostPoolSpec lifo() {
        this.idleOrder = IdleOrder.LIFO;
        return this;
    }

    /**
     * Keys idle connections by their channel's event loop: a request made on an event loop gets an
     * idle connection of that loop first, so its I/O stays on the thread it runs on, and otherwise
     * the connection idle longest on any loop (no request waits, and none opens a connection,
     * while a connection is idle). Within a loop connections are reused FIFO; strict FIFO across
     * loops is what this option gives up. Off by default (see {@code docs/affinity.md} for the
     * measurements); needs {@link #fifo()}: {@code build()} rejects it with {@link #lifo()}.
     *
     * @param enabled true to prefer the calling event loop's idle connections; default false
     * @return this spec
     */
    public HostPoolSpec connectionAffinity(boolean enabled) {
        this.connectionAffinity = enabled;
        return this;
    }

    int maxConnections() {
        return maxConnections;
    }

    HostPoolSettings toSettings() {
        int idle = maxIdle != null ? maxIdle : maxConnections;
        int pending;
        if (maxPending == null) {
            pending = (int) Math.min(Integer.MAX_VALUE, 2L * Math.max(maxConnections, 1));
        }
        else if (maxPending == -1) {
            pending = Integer.MAX_VALUE;
        }
        else {
            pending = maxPending;
        }
        return new HostPoolSettings(maxConnections, idle, pending, pendingTimeout, idleTimeout, maxLifetime,
                lifetimeJitter, idleOrder, connectionAffinity);
    }
}
