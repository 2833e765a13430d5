package dev.reactivepool.r2dbc.micrometer;

import java.lang.ref.WeakReference;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import dev.reactivepool.Pool;
import dev.reactivepool.PoolEvent;
import dev.reactivepool.PoolListener;
import dev.reactivepool.PoolMetrics;
import dev.reactivepool.micrometer.PoolMeterBinder;
import dev.reactivepool.r2dbc.PooledConnectionFactory;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The meters of a {@link PooledConnectionFactory}'s pool, under one of two naming schemes
 * ({@link Naming}): reactive-pool's own {@code reactivepool.*} names (tag {@code pool}), exactly
 * as {@link PoolMeterBinder}, or the OpenTelemetry semantic conventions for database-client
 * connection pools (attribute {@value #POOL_NAME}):
 *
 * <table>
 *   <caption>OpenTelemetry names</caption>
 *   <tr><th>name</th><th>type (unit)</th><th>figure</th></tr>
 *   <tr><td>{@code db.client.connection.count}, {@value #STATE}={@code idle}|{@code used}</td>
 *       <td>gauge (connections)</td><td>idle, leased</td></tr>
 *   <tr><td>{@code db.client.connection.max}</td><td>gauge (connections)</td><td>maxSize</td></tr>
 *   <tr><td>{@code db.client.connection.idle.max}</td><td>gauge (connections)</td><td>maxIdle</td></tr>
 *   <tr><td>{@code db.client.connection.idle.min}</td><td>gauge (connections)</td><td>minIdle</td></tr>
 *   <tr><td>{@code db.client.connection.pending_requests}</td><td>gauge (requests)</td><td>acquirers waiting</td></tr>
 *   <tr><td>{@code db.client.connection.timeouts}</td><td>counter (timeouts)</td><td>acquire timeouts</td></tr>
 *   <tr><td>{@code db.client.connection.wait_time}</td><td>function timer (s)</td><td>acquire latency; idle hits
 *       count as zero</td></tr>
 *   <tr><td>{@code db.client.connection.use_time}</td><td>function timer (s)</td><td>hold time, sampled every
 *       {@code holdTimeSampling} leases (1: every lease)</td></tr>
 *   <tr><td>{@code db.client.connection.create_time}</td><td>timer (s)</td><td>creation time, recorded by
 *       {@link #createTimeRecorder(MeterRegistry)} registered as a listener of the factory</td></tr>
 * </table>
 *
 * <p>The conventions' {@code db.client.connection.idle.min} is the configured {@code minIdle},
 * which the pool does not report; give it to {@link #openTelemetry(PooledConnectionFactory, int, Iterable)}
 * or it reads 0. Gauges and the counter carry no base unit (the conventions' units are
 * annotations such as {@code {connection}}), so Prometheus names stay as above. The extra tags are
 * not on {@code create_time}. Timers are in the registry's base time unit (seconds for Prometheus; set an OTLP
 * registry's base time unit to seconds to match the conventions). Like {@link PoolMeterBinder},
 * the meters hold the pool weakly and read one snapshot of its metrics, refreshed at most every
 * 100 ms.
 */
public final class ConnectionPoolMeterBinder implements MeterBinder {

    /** The OpenTelemetry attribute naming the pool. */
    public static final String POOL_NAME = "db.client.connection.pool.name";
    /** The OpenTelemetry attribute of {@code db.client.connection.count}: {@code idle} or {@code used}. */
    public static final String STATE = "db.client.connection.state";
    /** The OpenTelemetry name of the creation-time timer. */
    public static final String CREATE_TIME = "db.client.connection.create_time";

    /** A naming scheme for the meters. */
    public enum Naming {
        /** reactive-pool's {@code reactivepool.*} names, tag {@code pool} (as {@link PoolMeterBinder}). */
        REACTIVE_POOL,
        /** The OpenTelemetry database-client connection names, attribute {@value #POOL_NAME}. */
        OPENTELEMETRY
    }

    private static final long SNAPSHOT_TTL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Naming naming;
    private final WeakReference<Pool<?>> pool;
    private final String name;
    private final int minIdle;
    private final Tags extraTags;
    /** One snapshot serves every meter of a scrape (see {@link #current}). */
    private volatile PoolMetrics snapshot;
    private volatile long snapshotAtNanos;

    private ConnectionPoolMeterBinder(Naming naming, PooledConnectionFactory factory, int minIdle,
                                      Iterable<Tag> extraTags) {
        this.naming = Objects.requireNonNull(naming, "naming");
        this.pool = new WeakReference<>(factory.pool());
        this.name = factory.name();
        this.minIdle = minIdle;
        this.extraTags = Tags.of(extraTags);
    }

    /**
     * A binder of {@code factory}'s meters under {@code naming}.
     *
     * @param factory the pooling factory
     * @param naming  the naming scheme
     * @return a binder
     */
    public static ConnectionPoolMeterBinder of(PooledConnectionFactory factory, Naming naming) {
        return new ConnectionPoolMeterBinder(naming, factory, 0, Tags.empty());
    }

    /**
     * A binder of {@code factory}'s meters under the OpenTelemetry names.
     *
     * @param factory   the pooling factory
     * @param minIdle   the factory's configured {@code minIdle}, reported as {@code db.client.connection.idle.min}
     * @param extraTags tags added to every meter; must not hold secrets
     * @return a binder
     */
    public static ConnectionPoolMeterBinder openTelemetry(PooledConnectionFactory factory, int minIdle,
                                                          Iterable<Tag> extraTags) {
        return new ConnectionPoolMeterBinder(Naming.OPENTELEMETRY, factory, minIdle, extraTags);
    }

    /**
     * A listener that records every connection's creation time in
     * {@value #CREATE_TIME}{{@value #POOL_NAME}=pool name} of {@code registry}; register it with
     * {@code PooledConnectionFactoryBuilder.listener(..)}. It costs a timer look-up per new
     * connection, nothing per lease.
     *
     * @param registry the registry
     * @return a listener for the factory's builder
     */
    public static PoolListener<Object> createTimeRecorder(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        return new PoolListener<>() {
            @Override
            public void created(PoolEvent.Created<Object> event) {
                createTimer(registry, event.pool(), Tags.empty()).record(event.creationTime());
            }
        };
    }

    private static Timer createTimer(MeterRegistry registry, String pool, Tags extraTags) {
        return Timer.builder(CREATE_TIME).description("The time it took to create a new connection")
                .tag(POOL_NAME, pool).tags(extraTags).register(registry);
    }

    /**
     * Registers the meters.
     *
     * @param registry the registry to register with
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Pool<?> p = pool.get();
        if (p == null) {
            return;
        }
        if (naming == Naming.REACTIVE_POOL) {
            new PoolMeterBinder(p, extraTags).bindTo(registry);
            return;
        }
        Tags tags = Tags.of(POOL_NAME, name).and(extraTags);
        gauge(registry, p, "db.client.connection.count", tags.and(STATE, "idle"), "connections",
                "The number of connections that are currently in state described by the state attribute",
                PoolMetrics::idle);
        gauge(registry, p, "db.client.connection.count", tags.and(STATE, "used"), "connections",
                "The number of connections that are currently in state described by the state attribute",
                PoolMetrics::leased);
        gauge(registry, p, "db.client.connection.max", tags, "connections",
                "The maximum number of open connections allowed", PoolMetrics::maxSize);
        gauge(registry, p, "db.client.connection.idle.max", tags, "connections",
                "The maximum number of idle open connections allowed", PoolMetrics::maxIdle);
        gauge(registry, p, "db.client.connection.idle.min", tags, "connections",
                "The minimum number of idle open connections allowed", m -> minIdle);
        gauge(registry, p, "db.client.connection.pending_requests", tags, "requests",
                "The number of current pending requests for an open connection", PoolMetrics::pending);
        FunctionCounter.builder("db.client.connection.timeouts", p, q -> current(q).acquireTimeouts())
                .description("The number of connection timeouts that have occurred trying to obtain a connection"
                        + " from the pool")
                .tags(tags).register(registry);
        FunctionTimer.builder("db.client.connection.wait_time", p, q -> current(q).acquireLatency().count(),
                        q -> current(q).acquireLatency().totalNanos(), TimeUnit.NANOSECONDS)
                .description("The time it took to obtain an open connection from the pool").tags(tags)
                .register(registry);
        FunctionTimer.builder("db.client.connection.use_time", p, q -> current(q).holdTime().count(),
                        q -> current(q).holdTime().totalNanos(), TimeUnit.NANOSECONDS)
                .description("The time between borrowing a connection and returning it to the pool (sampled)")
                .tags(tags).register(registry);
        createTimer(registry, name, Tags.empty()); // the meter createTimeRecorder records into
    }

    /** The pool's metrics, refreshed at most every 100 ms, so that a scrape costs one snapshot. */
    private PoolMetrics current(Pool<?> p) {
        long now = System.nanoTime();
        PoolMetrics s = snapshot;
        if (s == null || now - snapshotAtNanos > SNAPSHOT_TTL_NANOS) {
            s = p.metrics();
            snapshot = s;
            snapshotAtNanos = now;
        }
        return s;
    }

    /**
     * A gauge without a base unit: the conventions' units ({connection}, {request}) are
     * annotations, and Micrometer would append a base unit to the Prometheus name.
     */
    private void gauge(MeterRegistry registry, Pool<?> p, String meter, Tags tags, String unit,
                       String description, ToDoubleFunction<PoolMetrics> value) {
        Gauge.builder(meter, p, q -> value.applyAsDouble(current(q))).description(description).tags(tags).register(registry);
    }
}
