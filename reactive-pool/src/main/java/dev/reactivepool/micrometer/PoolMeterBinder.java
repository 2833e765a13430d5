package dev.reactivepool.micrometer;

import java.lang.ref.WeakReference;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import dev.reactivepool.Pool;
import dev.reactivepool.PoolMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Exposes a pool's {@link PoolMetrics} as Micrometer meters, all tagged {@code pool=<name>}
 * plus the extra tags given. Micrometer is an optional dependency of reactive-pool: only this
 * package needs it.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>meaning</th></tr>
 *   <tr><td>{@code reactivepool.idle}</td><td>gauge</td><td>objects idle</td></tr>
 *   <tr><td>{@code reactivepool.leased}</td><td>gauge</td><td>objects with at least one lease</td></tr>
 *   <tr><td>{@code reactivepool.leases}</td><td>gauge</td><td>leases held (above {@code reactivepool.leased} only
 *       when several leases share an object: {@code maxLeasesPerObject})</td></tr>
 *   <tr><td>{@code reactivepool.pending}</td><td>gauge</td><td>acquirers waiting</td></tr>
 *   <tr><td>{@code reactivepool.creating}</td><td>gauge</td><td>objects being created</td></tr>
 *   <tr><td>{@code reactivepool.total}</td><td>gauge</td><td>live objects, every state</td></tr>
 *   <tr><td>{@code reactivepool.max.size}</td><td>gauge</td><td>configured maxSize</td></tr>
 *   <tr><td>{@code reactivepool.acquired}</td><td>counter</td><td>leases handed out</td></tr>
 *   <tr><td>{@code reactivepool.created}</td><td>counter</td><td>objects created</td></tr>
 *   <tr><td>{@code reactivepool.destroyed}</td><td>counter</td><td>objects destroyed</td></tr>
 *   <tr><td>{@code reactivepool.evicted}</td><td>counter</td><td>destroyed by the pool: idle timeout, lifetime,
 *       max uses, idle cap</td></tr>
 *   <tr><td>{@code reactivepool.failures}</td><td>counter, tag {@code kind}=creation|validation|reset|destroy</td>
 *       <td>failed steps</td></tr>
 *   <tr><td>{@code reactivepool.acquire.timeouts}</td><td>counter</td><td>acquires that timed out</td></tr>
 *   <tr><td>{@code reactivepool.acquire.rejections}</td><td>counter</td><td>acquires refused by maxPending</td></tr>
 *   <tr><td>{@code reactivepool.leaks}</td><td>counter</td><td>leases reported by leak detection</td></tr>
 *   <tr><td>{@code reactivepool.reclaimed}</td><td>counter</td><td>leases dropped by Reactor after emission and
 *   given back (see {@link dev.reactivepool.DroppedLeases})</td></tr>
 *   <tr><td>{@code reactivepool.acquire}</td><td>function timer</td><td>acquire latency (count, total)</td></tr>
 *   <tr><td>{@code reactivepool.acquire.p99}</td><td>time gauge</td><td>acquire latency, 99th percentile</td></tr>
 *   <tr><td>{@code reactivepool.hold}</td><td>function timer</td><td>hold time (sampled)</td></tr>
 *   <tr><td>{@code reactivepool.hold.p99}</td><td>time gauge</td><td>hold time, 99th percentile</td></tr>
 * </table>
 *
 * <p>Meters read one snapshot of the pool's metrics, refreshed at most every 100 ms, so a
 * registry polling every meter costs one snapshot, not one per meter. Like Micrometer's own
 * binders, the meters hold the pool weakly: they report NaN once the pool is garbage.
 */
public final class PoolMeterBinder implements MeterBinder {

    private static final long SNAPSHOT_TTL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Weak, like the meters' own reference: a registry must not keep a dropped pool alive. */
    private final WeakReference<Pool<?>> pool;
    private final Tags tags;
    private volatile PoolMetrics snapshot;
    private volatile long snapshotAtNanos;

    /**
     * @param pool the pool to expose
     */
    public PoolMeterBinder(Pool<?> pool) {
        this(pool, Tags.empty());
    }

    /**
     * @param pool      the pool to expose
     * @param extraTags tags added to every meter besides {@code pool=<name>}; must not hold secrets
     */
    public PoolMeterBinder(Pool<?> pool, Iterable<Tag> extraTags) {
        this.pool = new WeakReference<>(pool);
        this.tags = Tags.of("pool", pool.name()).and(extraTags);
    }

    /**
     * Registers the meters.
     *
     * @param registry the registry to register with
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Pool<?> pool = this.pool.get();
        if (pool == null) {
            return;
        }
        gauge(registry, "reactivepool.idle", "Objects idle", PoolMetrics::idle);
        gauge(registry, "reactivepool.leased", "Objects with at least one lease", PoolMetrics::leased);
        gauge(registry, "reactivepool.leases", "Leases held (several may share an object)", PoolMetrics::leases);
        gauge(registry, "reactivepool.pending", "Acquirers waiting", PoolMetrics::pending);
        gauge(registry, "reactivepool.creating", "Objects being created", PoolMetrics::creating);
        gauge(registry, "reactivepool.total", "Live objects in every state", PoolMetrics::total);
        gauge(registry, "reactivepool.max.size", "Configured maximum number of live objects", PoolMetrics::maxSize);

        counter(registry, "reactivepool.acquired", "Leases handed out", PoolMetrics::acquired, Tags.empty());
        counter(registry, "reactivepool.created", "Objects created", PoolMetrics::created, Tags.empty());
        counter(registry, "reactivepool.destroyed", "Objects destroyed", PoolMetrics::destroyed, Tags.empty());
        counter(registry, "reactivepool.evicted", "Objects destroyed by the pool itself", PoolMetrics::evicted,
                Tags.empty());
        counter(registry, "reactivepool.failures", "Failed steps", PoolMetrics::creationFailures,
                Tags.of("kind", "creation"));
        counter(registry, "reactivepool.failures", "Failed steps", PoolMetrics::validationFailures,
                Tags.of("kind", "validation"));
        counter(registry, "reactivepool.failures", "Failed steps", PoolMetrics::resetFailures,
                Tags.of("kind", "reset"));
        counter(registry, "reactivepool.failures", "Failed steps", PoolMetrics::destroyFailures,
                Tags.of("kind", "destroy"));
        counter(registry, "reactivepool.acquire.timeouts", "Acquires that timed out", PoolMetrics::acquireTimeouts,
                Tags.empty());
        counter(registry, "reactivepool.acquire.rejections", "Acquires refused by the pending limit",
                PoolMetrics::rejections, Tags.empty());
        counter(registry, "reactivepool.leaks", "Leases reported by leak detection", PoolMetrics::leaks,
                Tags.empty());
        counter(registry, "reactivepool.reclaimed", "Leases dropped by Reactor after emission and given back",
                PoolMetrics::reclaimed, Tags.empty());

        timer(registry, "reactivepool.acquire", "Acquire latency", m -> m.acquireLatency());
        timer(registry, "reactivepool.hold", "Hold time of leases (sampled)", m -> m.holdTime());
    }

    /** The metrics of {@code p} (Micrometer's weakly held state object), cached for a short while. */
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

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<PoolMetrics> value) {
        Gauge.builder(name, pool.get(), p -> value.applyAsDouble(current(p)))
                .description(description).tags(tags).register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, ToLongFunction<PoolMetrics> value,
                         Tags extra) {
        FunctionCounter.builder(name, pool.get(), p -> value.applyAsLong(current(p)))
                .description(description).tags(tags).tags(extra).register(registry);
    }

    private void timer(MeterRegistry registry, String name, String description,
                       java.util.function.Function<PoolMetrics, PoolMetrics.LatencySummary> summary) {
        FunctionTimer.builder(name, pool.get(), p -> summary.apply(current(p)).count(),
                        p -> summary.apply(current(p)).totalNanos(), TimeUnit.NANOSECONDS)
                .description(description).tags(tags).register(registry);
        TimeGauge.builder(name + ".p99", pool.get(), TimeUnit.NANOSECONDS, p -> summary.apply(current(p)).p99Nanos())
                .description(description + ", 99th percentile").tags(tags).register(registry);
    }
}
