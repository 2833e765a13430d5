package dev.reactivepool;

/**
 * The management interface of one pool, registered with the platform MBean server when the pool
 * is built with {@link PoolBuilder#registerJmx(boolean) registerJmx(true)}, under
 * {@code dev.reactivepool:type=Pool,name="<pool name>"}, and unregistered when it closes. The
 * attributes are the figures of {@link PoolMetrics} (read from a fresh snapshot each) and the
 * current limits; the operations are those of {@link Pool} for a running pool. An operation
 * given an argument out of range fails with {@link IllegalArgumentException} whose message names
 * the argument and its range (a JDK type, so that remote JMX clients can read it).
 */
public interface PoolMXBean {

    /** @return the pool's name */
    String getName();

    /** @return the current maximum number of live objects */
    int getMaxSize();

    /** @return the current maximum number of idle objects */
    int getMaxIdle();

    /** @return the current number of idle objects kept ready */
    int getMinIdle();

    /** @return objects idle now */
    int getIdle();

    /** @return objects leased now */
    int getLeased();

    /** @return acquirers waiting now */
    int getPending();

    /** @return objects being created now */
    int getCreating();

    /** @return live objects now */
    int getTotal();

    /** @return leases handed out since the pool was built */
    long getAcquired();

    /** @return objects created */
    long getCreated();

    /** @return objects destroyed */
    long getDestroyed();

    /** @return objects destroyed by the pool itself (expiry, caps, evictAll, resize) */
    long getEvicted();

    /** @return allocator errors and creation timeouts */
    long getCreationFailures();

    /** @return validations that returned false, failed or timed out */
    long getValidationFailures();

    /** @return acquires that timed out */
    long getAcquireTimeouts();

    /** @return acquires refused because maxPending acquirers were waiting */
    long getRejections();

    /** @return leases reported by leak detection */
    long getLeaks();

    /** @return the 99th percentile of the acquire latency, in milliseconds */
    double getAcquireLatencyP99Millis();

    /** @return whether the pool is suspended ({@link Pool#suspend()}) */
    boolean isSuspended();

    /** @return whether the pool is closing or closed */
    boolean isClosed();

    /** Runs {@link Pool#evictAll()}. */
    void evictAll();

    /**
     * Runs {@link Pool#resize(int)}.
     *
     * @param maxSize the new maximum number of live objects
     */
    void resize(int maxSize);

    /**
     * Runs {@link Pool#resize(int, int, int)}.
     *
     * @param maxSize the new maximum number of live objects
     * @param maxIdle the new maximum number of idle objects
     * @param minIdle the new number of idle objects kept ready
     */
    void resize(int maxSize, int maxIdle, int minIdle);

    /** Runs {@link Pool#suspend()}. */
    void suspend();

    /** Runs {@link Pool#resume()}. */
    void resume();
}
