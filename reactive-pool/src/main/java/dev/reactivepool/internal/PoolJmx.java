package dev.reactivepool.internal;

import java.lang.management.ManagementFactory;

import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import dev.reactivepool.InvalidPoolConfigurationException;
import dev.reactivepool.PoolMXBean;
import dev.reactivepool.PoolMetrics;
import reactor.core.scheduler.Schedulers;

/**
 * A pool's {@link PoolMXBean} and its registration with the platform MBean server. Registration
 * runs on the thread that builds the pool; unregistration on the thread that closes it, unless
 * that thread is a non-blocking one (an event loop): the MBean server guards its registry with a
 * lock, so the call is then moved to {@link Schedulers#boundedElastic()}.
 */
final class PoolJmx implements PoolMXBean {

    /** The domain of the pools' ObjectNames. */
    static final String DOMAIN = "dev.reactivepool";

    private final DefaultPool<?> pool;
    private final ObjectName objectName;

    private PoolJmx(DefaultPool<?> pool, ObjectName objectName) {
        this.pool = pool;
        this.objectName = objectName;
    }

    /** {@code dev.reactivepool:type=Pool,name="<quoted pool name>"}. */
    static ObjectName objectName(String poolName) {
        try {
            return new ObjectName(DOMAIN + ":type=Pool,name=" + ObjectName.quote(poolName));
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException("a quoted name is always valid", e); // ObjectName.quote escapes everything
        }
    }

    /**
     * Registers the MXBean of {@code pool}.
     *
     * @throws InvalidPoolConfigurationException for option {@code registerJmx} when a pool of the
     *                                           same name is registered already
     */
    static PoolJmx register(DefaultPool<?> pool) {
        PoolJmx bean = new PoolJmx(pool, objectName(pool.name()));
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(bean, bean.objectName);
        } catch (InstanceAlreadyExistsException e) {
            throw new InvalidPoolConfigurationException("registerJmx", "an MBean named " + bean.objectName
                    + " is registered already: give each pool registered with JMX its own name");
        } catch (JMException e) {
            throw new IllegalStateException("Pool '" + pool.name() + "': JMX registration failed", e);
        }
        return bean;
    }

    /** The name this pool is registered under. */
    ObjectName objectName() {
        return objectName;
    }

    /** Unregisters the MXBean (see the class comment for the thread). */
    void unregister() {
        if (Schedulers.isInNonBlockingThread()) {
            Schedulers.boundedElastic().schedule(this::unregisterNow);
        } else {
            unregisterNow();
        }
    }

    private void unregisterNow() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            server.unregisterMBean(objectName);
        } catch (InstanceNotFoundException alreadyGone) {
            // unregistered by someone else: nothing to do
        } catch (JMException e) {
            DefaultPool.LOG.warn("Pool '{}': JMX unregistration failed: {}", pool.name(), e.toString());
        }
    }

    private PoolMetrics m() {
        return pool.metrics();
    }

    @Override
    public String getName() {
        return pool.name();
    }

    @Override
    public int getMaxSize() {
        return m().maxSize();
    }

    @Override
    public int getMaxIdle() {
        return m().maxIdle();
    }

    @Override
    public int getMinIdle() {
        return pool.minIdle();
    }

    @Override
    public int getIdle() {
        return m().idle();
    }

    @Override
    public int getLeased() {
        return m().leased();
    }

    @Override
    public int getPending() {
        return m().pending();
    }

    @Override
    public int getCreating() {
        return m().creating();
    }

    @Override
    public int getTotal() {
        return m().total();
    }

    @Override
    public long getAcquired() {
        return m().acquired();
    }

    @Override
    public long getCreated() {
        return m().created();
    }

    @Override
    public long getDestroyed() {
        return m().destroyed();
    }

    @Override
    public long getEvicted() {
        return m().evicted();
    }

    @Override
    public long getCreationFailures() {
        return m().creationFailures();
    }

    @Override
    public long getValidationFailures() {
        return m().validationFailures();
    }

    @Override
    public long getAcquireTimeouts() {
        return m().acquireTimeouts();
    }

    @Override
    public long getRejections() {
        return m().rejections();
    }

    @Override
    public long getLeaks() {
        return m().leaks();
    }

    @Override
    public double getAcquireLatencyP99Millis() {
        return m().acquireLatency().p99Nanos() / 1e6;
    }

    @Override
    public boolean isSuspended() {
        return pool.isSuspended();
    }

    @Override
    public boolean isClosed() {
        return pool.isDisposed();
    }

    @Override
    public void evictAll() {
        pool.evictAll();
    }

    @Override
    public void resize(int maxSize) {
        try {
            pool.resize(maxSize);
        } catch (InvalidPoolConfigurationException e) {
            throw jdkError(e);
        }
    }

    @Override
    public void resize(int maxSize, int maxIdle, int minIdle) {
        try {
            pool.resize(maxSize, maxIdle, minIdle);
        } catch (InvalidPoolConfigurationException e) {
            throw jdkError(e);
        }
    }

    /** The same message in a JDK type: a remote JMX client may not have the pool's classes. */
    private static IllegalArgumentException jdkError(InvalidPoolConfigurationException e) {
        return new IllegalArgumentException(e.getMessage());
    }

    @Override
    public void suspend() {
        pool.suspend();
    }

    @Override
    public void resume() {
        pool.resume();
    }
}
