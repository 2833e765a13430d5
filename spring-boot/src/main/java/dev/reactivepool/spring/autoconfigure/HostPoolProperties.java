package dev.reactivepool.spring.autoconfigure;

import java.time.Duration;

import dev.reactivepool.IdleOrder;

/**
 * The options of one remote host's connection pool in the WebClient's connection provider:
 * the defaults of every host ({@code reactivepool.http.*}) and the overrides of one host
 * ({@code reactivepool.http.hosts[host:port].*}). Unset options keep the HTTP adapter's defaults
 * (per host: the provider's settings).
 */
public class HostPoolProperties {

    /** Hard limit on connections to one host, opening and closing ones included (at least 1). Default: 16. */
    private Integer maxConnections;

    /** Idle cap per host; a release past it closes the connection (0 .. max-connections). Default: max-connections. */
    private Integer maxIdle;

    /** Requests allowed to wait for a connection to one host (0 or more, -1: unbounded). Default: 2 * max-connections. */
    private Integer pendingAcquireMaxCount;

    /** How long a request may wait for a connection, opening included. Default: 45s. */
    private Duration pendingAcquireTimeout;

    /** Close connections idle longer than this; set it below the server's keep-alive timeout (0: off). Default: 0. */
    private Duration maxIdleTime;

    /** Close connections older than this, less a random part of max-life-time-jitter (0: off). Default: 0. */
    private Duration maxLifeTime;

    /** Random part subtracted from max-life-time per connection (less than max-life-time). Default: 0. */
    private Duration maxLifeTimeJitter;

    /** Which idle connection is reused first: FIFO (idle longest) or LIFO (most recent). Default: FIFO. */
    private IdleOrder idleOrder;

    /**
     * Prefer an idle connection of the requesting event loop, else the one idle longest on any loop
     * (needs idle-order FIFO). Default: false.
     */
    private Boolean connectionAffinity;

    /** @return the connection limit, or null for the default */
    public Integer getMaxConnections() {
        return maxConnections;
    }

    /** @param maxConnections the connection limit */
    public void setMaxConnections(Integer maxConnections) {
        this.maxConnections = maxConnections;
    }

    /** @return the idle cap, or null for the default */
    public Integer getMaxIdle() {
        return maxIdle;
    }

    /** @param maxIdle the idle cap */
    public void setMaxIdle(Integer maxIdle) {
        this.maxIdle = maxIdle;
    }

    /** @return the pending limit, or null for the default */
    public Integer getPendingAcquireMaxCount() {
        return pendingAcquireMaxCount;
    }

    /** @param pendingAcquireMaxCount the pending limit */
    public void setPendingAcquireMaxCount(Integer pendingAcquireMaxCount) {
        this.pendingAcquireMaxCount = pendingAcquireMaxCount;
    }

    /** @return the pending timeout, or null for the default */
    public Duration getPendingAcquireTimeout() {
        return pendingAcquireTimeout;
    }

    /** @param pendingAcquireTimeout the pending timeout */
    public void setPendingAcquireTimeout(Duration pendingAcquireTimeout) {
        this.pendingAcquireTimeout = pendingAcquireTimeout;
    }

    /** @return the idle timeout, or null for the default */
    public Duration getMaxIdleTime() {
        return maxIdleTime;
    }

    /** @param maxIdleTime the idle timeout */
    public void setMaxIdleTime(Duration maxIdleTime) {
        this.maxIdleTime = maxIdleTime;
    }

    /** @return the lifetime, or null for the default */
    public Duration getMaxLifeTime() {
        return maxLifeTime;
    }

    /** @param maxLifeTime the lifetime */
    public void setMaxLifeTime(Duration maxLifeTime) {
        this.maxLifeTime = maxLifeTime;
    }

    /** @return the lifetime jitter, or null for the default */
    public Duration getMaxLifeTimeJitter() {
        return maxLifeTimeJitter;
    }

    /** @param maxLifeTimeJitter the lifetime jitter */
    public void setMaxLifeTimeJitter(Duration maxLifeTimeJitter) {
        this.maxLifeTimeJitter = maxLifeTimeJitter;
    }

    /** @return the idle order, or null for the default */
    public IdleOrder getIdleOrder() {
        return idleOrder;
    }

    /** @param idleOrder the idle order */
    public void setIdleOrder(IdleOrder idleOrder) {
        this.idleOrder = idleOrder;
    }

    /** @return whether idle connections are kept per event loop, or null for the default */
    public Boolean getConnectionAffinity() {
        return connectionAffinity;
    }

    /** @param connectionAffinity whether idle connections are kept per event loop */
    public void setConnectionAffinity(Boolean connectionAffinity) {
        this.connectionAffinity = connectionAffinity;
    }
}
