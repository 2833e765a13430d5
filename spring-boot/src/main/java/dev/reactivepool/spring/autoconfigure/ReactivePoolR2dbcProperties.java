package dev.reactivepool.spring.autoconfigure;

import java.time.Duration;

import dev.reactivepool.IdleOrder;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The R2DBC pool options that Spring Boot's {@code spring.r2dbc.pool.*} properties do not have.
 * Every option left unset keeps the R2DBC adapter's default; an out-of-range value stops startup
 * with a report naming the property and its range.
 *
 * <p>The options Boot already names ({@code max-size}, {@code min-idle}, {@code initial-size},
 * {@code max-idle-time}, {@code max-life-time}, {@code max-acquire-time},
 * {@code max-create-connection-time}, {@code max-validation-time}, {@code validation-query},
 * {@code validation-depth}) stay under {@code spring.r2dbc.pool.*}.
 */
@ConfigurationProperties("reactivepool.r2dbc")
public class ReactivePoolR2dbcProperties {

    /**
     * Whether reactive-pool provides the application's R2DBC ConnectionFactory (in place of
     * Spring Boot's R2DBC auto-configuration and of r2dbc-pool).
     */
    private boolean enabled = true;

    /** Pool name in logs, errors and the 'pool' metric tag; must hold no secret. Default: the bean name. */
    private String name;

    /** Most idle connections; a return past it closes the connection (min-idle .. max-size). Default: max-size. */
    private Integer maxIdle;

    /** Most callers waiting for a connection; past it create() fails at once (0 or more). Default: unbounded. */
    private Integer maxPending;

    /** How long the pool waits for the driver to close a connection before freeing its place. Default: 10s. */
    private Duration destroyTimeout;

    /** Skip all validation of a connection returned less than this ago (0: always validate). Default: 0. */
    private Duration skipValidationWithin;

    /** Idle time after which validation makes a round trip to the server. Default: 5s. */
    private Duration remoteValidationAfterIdle;

    /** How long the clean-up of a returned connection may take (rollback, restore, reset query). Default: 5s. */
    private Duration resetTimeout;

    /** Statement run on every returned connection after rollback and restore, for example 'DISCARD ALL'. */
    private String resetQuery;

    /** Random part subtracted from max-life-time per connection, so that connections do not expire together. Default: 0. */
    private Duration maxLifetimeJitter;

    /** Close a connection when it is returned after this many uses (1 or more). Default: unlimited. */
    private Long maxUses;

    /** Which idle connection is reused first: FIFO (idle longest) or LIFO (most recent). Default: FIFO. */
    private IdleOrder idleOrder;

    /** Period of the background eviction and min-idle refill (at least 1ms). Default: 1s. */
    private Duration evictionInterval;

    /** Report connections held longer than this, with the acquirer's stack (0: off). Default: 0. */
    private Duration leakDetectionThreshold;

    /** First pause between connection attempts while they fail (doubling, +-25% jitter). Default: 100ms. */
    private Duration creationBackoffInitial;

    /** Largest pause between connection attempts (at least creation-backoff-initial). Default: 5s. */
    private Duration creationBackoffMax;

    /** How long closing the pool waits for borrowed connections to come back. Default: 30s. */
    private Duration closeGracePeriod;

    /**
     * Time one lease in N, and each connection's first lease in each eviction interval, for the
     * hold-time metric (0: never). Default: 64.
     */
    private Integer holdTimeSampling;

    /** Statement timeout set back on a returned connection whose borrower changed it. Default: none. */
    private Duration defaultStatementTimeout;

    /** Lock-wait timeout set back on a returned connection whose borrower changed it. Default: none. */
    private Duration defaultLockWaitTimeout;

    /** Emit each connection on the connection's own I/O thread, as r2dbc-pool does. Default: false. */
    private Boolean deliverOnConnectionThread;

    /** Largest max size a runtime resize (through the pool or JMX) may set. Default: the max size. */
    private Integer maxSizeLimit;

    /** Register the pool's PoolMXBean with the platform MBean server (the pool name must be unique). Default: false. */
    private Boolean registerJmx;

    /** @return whether the starter provides the ConnectionFactory */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether the starter provides the ConnectionFactory */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the pool name, or null for the bean name */
    public String getName() {
        return name;
    }

    /** @param name the pool name */
    public void setName(String name) {
        this.name = name;
    }

    /** @return the idle cap, or null for the default */
    public Integer getMaxIdle() {
        return maxIdle;
    }

    /** @param maxIdle the idle cap */
    public void setMaxIdle(Integer maxIdle) {
        this.maxIdle = maxIdle;
    }

    /** @return the pending limit, or null for unbounded */
    public Integer getMaxPending() {
        return maxPending;
    }

    /** @param maxPending the pending limit */
    public void setMaxPending(Integer maxPending) {
        this.maxPending = maxPending;
    }

    /** @return the destroy timeout, or null for the default */
    public Duration getDestroyTimeout() {
        return destroyTimeout;
    }

    /** @param destroyTimeout the destroy timeout */
    public void setDestroyTimeout(Duration destroyTimeout) {
        this.destroyTimeout = destroyTimeout;
    }

    /** @return the validation skip window, or null for the default */
    public Duration getSkipValidationWithin() {
        return skipValidationWithin;
    }

    /** @param skipValidationWithin the validation skip window */
    public void setSkipValidationWithin(Duration skipValidationWithin) {
        this.skipValidationWithin = skipValidationWithin;
    }

    /** @return the idle time before a remote validation, or null for the default */
    public Duration getRemoteValidationAfterIdle() {
        return remoteValidationAfterIdle;
    }

    /** @param remoteValidationAfterIdle the idle time before a remote validation */
    public void setRemoteValidationAfterIdle(Duration remoteValidationAfterIdle) {
        this.remoteValidationAfterIdle = remoteValidationAfterIdle;
    }

    /** @return the reset timeout, or null for the default */
    public Duration getResetTimeout() {
        return resetTimeout;
    }

    /** @param resetTimeout the reset timeout */
    public void setResetTimeout(Duration resetTimeout) {
        this.resetTimeout = resetTimeout;
    }

    /** @return the reset query, or null for none */
    public String getResetQuery() {
        return resetQuery;
    }

    /** @param resetQuery the reset query */
    public void setResetQuery(String resetQuery) {
        this.resetQuery = resetQuery;
    }

    /** @return the lifetime jitter, or null for the default */
    public Duration getMaxLifetimeJitter() {
        return maxLifetimeJitter;
    }

    /** @param maxLifetimeJitter the lifetime jitter */
    public void setMaxLifetimeJitter(Duration maxLifetimeJitter) {
        this.maxLifetimeJitter = maxLifetimeJitter;
    }

    /** @return the use limit, or null for unlimited */
    public Long getMaxUses() {
        return maxUses;
    }

    /** @param maxUses the use limit */
    public void setMaxUses(Long maxUses) {
        this.maxUses = maxUses;
    }

    /** @return the idle order, or null for the default */
    public IdleOrder getIdleOrder() {
        return idleOrder;
    }

    /** @param idleOrder the idle order */
    public void setIdleOrder(IdleOrder idleOrder) {
        this.idleOrder = idleOrder;
    }

    /** @return the eviction interval, or null for the default */
    public Duration getEvictionInterval() {
        return evictionInterval;
    }

    /** @param evictionInterval the eviction interval */
    public void setEvictionInterval(Duration evictionInterval) {
        this.evictionInterval = evictionInterval;
    }

    /** @return the leak detection threshold, or null for off */
    public Duration getLeakDetectionThreshold() {
        return leakDetectionThreshold;
    }

    /** @param leakDetectionThreshold the leak detection threshold */
    public void setLeakDetectionThreshold(Duration leakDetectionThreshold) {
        this.leakDetectionThreshold = leakDetectionThreshold;
    }

    /** @return the first creation backoff, or null for the default */
    public Duration getCreationBackoffInitial() {
        return creationBackoffInitial;
    }

    /** @param creationBackoffInitial the first creation backoff */
    public void setCreationBackoffInitial(Duration creationBackoffInitial) {
        this.creationBackoffInitial = creationBackoffInitial;
    }

    /** @return the largest creation backoff, or null for the default */
    public Duration getCreationBackoffMax() {
        return creationBackoffMax;
    }

    /** @param creationBackoffMax the largest creation backoff */
    public void setCreationBackoffMax(Duration creationBackoffMax) {
        this.creationBackoffMax = creationBackoffMax;
    }

    /** @return the close grace period, or null for the default */
    public Duration getCloseGracePeriod() {
        return closeGracePeriod;
    }

    /** @param closeGracePeriod the close grace period */
    public void setCloseGracePeriod(Duration closeGracePeriod) {
        this.closeGracePeriod = closeGracePeriod;
    }

    /** @return the hold-time sampling, or null for the default */
    public Integer getHoldTimeSampling() {
        return holdTimeSampling;
    }

    /** @param holdTimeSampling the hold-time sampling */
    public void setHoldTimeSampling(Integer holdTimeSampling) {
        this.holdTimeSampling = holdTimeSampling;
    }

    /** @return the statement timeout to restore, or null for the default */
    public Duration getDefaultStatementTimeout() {
        return defaultStatementTimeout;
    }

    /** @param defaultStatementTimeout the statement timeout to restore */
    public void setDefaultStatementTimeout(Duration defaultStatementTimeout) {
        this.defaultStatementTimeout = defaultStatementTimeout;
    }

    /** @return the lock-wait timeout to restore, or null for the default */
    public Duration getDefaultLockWaitTimeout() {
        return defaultLockWaitTimeout;
    }

    /** @param defaultLockWaitTimeout the lock-wait timeout to restore */
    public void setDefaultLockWaitTimeout(Duration defaultLockWaitTimeout) {
        this.defaultLockWaitTimeout = defaultLockWaitTimeout;
    }

    /** @return whether connections are emitted on their I/O thread, or null for the default */
    public Boolean getDeliverOnConnectionThread() {
        return deliverOnConnectionThread;
    }

    /** @param deliverOnConnectionThread whether connections are emitted on their I/O thread */
    public void setDeliverOnConnectionThread(Boolean deliverOnConnectionThread) {
        this.deliverOnConnectionThread = deliverOnConnectionThread;
    }

    /** @return the largest max size a resize may set, or null for the max size */
    public Integer getMaxSizeLimit() {
        return maxSizeLimit;
    }

    /** @param maxSizeLimit the largest max size a resize may set */
    public void setMaxSizeLimit(Integer maxSizeLimit) {
        this.maxSizeLimit = maxSizeLimit;
    }

    /** @return whether the pool's MXBean is registered, or null for the default */
    public Boolean getRegisterJmx() {
        return registerJmx;
    }

    /** @param registerJmx whether the pool's MXBean is registered */
    public void setRegisterJmx(Boolean registerJmx) {
        this.registerJmx = registerJmx;
    }
}
