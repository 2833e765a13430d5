package dev.reactivepool.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import reactor.core.CoreSubscriber;
import reactor.core.scheduler.Scheduler;

/**
 * Leak detection (the {@code leakDetectionThreshold} option): the registry of live slots, the
 * exact lease start of each, the acquirer's stack ({@link AcquireSite}) and the scan that reports
 * a lease held past the threshold. The pool holds none when the option is off, so its paths pay
 * one null check for it.
 *
 * <p>The lease start ({@link Slot#leaseStartMillis}, volatile) is written last by the slot's owner
 * when a lease starts, after {@link Slot#acquiredAt}, and read first by the housekeeping scan,
 * which therefore never reports a stack older than the current lease.
 *
 * @param <T> the type of the pooled objects
 */
final class LeakDetection<T> {

    private final String name;
    private final long thresholdMillis;
    private final Scheduler timerScheduler;
    private final PoolCounters counters;
    /** Lifecycle listeners, or null. */
    private final ListenerDispatch<T> events;
    /**
     * Every live slot, scanned by housekeeping. A lock-free queue (removal is O(maxSize), on the
     * destroy path only) rather than a ConcurrentHashMap, whose writes synchronize on hash bins.
     */
    private final Queue<Slot<T>> registry = new ConcurrentLinkedQueue<>();
    /** Shared leases (maxLeasesPerObject > 1): the watch of every lease, each lease reported on its own. */
    private final Queue<ShareWatch> shares = new ConcurrentLinkedQueue<>();

    private LeakDetection(String name, long thresholdMillis, Scheduler timerScheduler, PoolCounters counters,
                          ListenerDispatch<T> events) {
        this.name = name;
        this.events = events;
        this.thresholdMillis = thresholdMillis;
        this.timerScheduler = timerScheduler;
        this.counters = counters;
    }

    /** Leak detection for a pool configured with {@code config}, or null if it is off. */
    static <T> LeakDetection<T> of(PoolConfig<T> config, PoolCounters counters, ListenerDispatch<T> events) {
        long threshold = config.leakDetectionThreshold().toMillis();
        return threshold > 0
                ? new LeakDetection<>(config.name(), threshold, config.timerScheduler(), counters, events) : null;
    }

    /**
     * Where {@code actual} asked, taken when the acquire {@code Mono} is subscribed, on the
     * subscribing thread. Subscription rather than assembly, because acquire Monos are assembled
     * once and subscribed many times (the pool's shared acquire instance, {@code withLease}, an
     * adapter's {@code create()}): their assembly stack names whoever built the pool or the
     * adapter. Not at emission either: an object handed over by a release, or just created, is
     * emitted on the releaser's or the driver's thread, whose stack has no frame of the acquirer.
     */
    Throwable acquireSite(CoreSubscriber<?> actual) {
        return AcquireSite.capture(name, actual);
    }

    /** A new object's slot is live. */
    void register(Slot<T> slot) {
        registry.add(slot);
    }

    /** A slot's object was destroyed. */
    void unregister(Slot<T> slot) {
        registry.remove(slot);
    }

    /**
     * A lease starts, on the emitting thread, owner of the slot, which has set
     * {@link Slot#acquiredAt}: records its exact start (volatile write last, publishing the rest).
     */
    void leaseStarted(Slot<T> slot, PooledLease<T> lease) {
        long now = timerNow();
        lease.acquiredAtMillis = now;
        slot.leakReported = false;
        slot.holdStartNanos = System.nanoTime();
        slot.leaseStartMillis = now; // volatile write last: publishes the two fields above
    }

    /** A lease ends, on the releasing thread; says so if the lease was reported as leaked. */
    void leaseEnded(Slot<T> slot) {
        long leaseStart = slot.leaseStartMillis;
        slot.leaseStartMillis = Slot.NOT_LEASED;
        if (slot.leakReported) {
            DefaultPool.LOG.info("Pool '{}': a lease reported as leaked was returned after {} ms", name,
                    timerNow() - leaseStart);
        }
    }

    /** A lease of a shared object starts: its exact start, then it is watched. @return the start (ms) */
    long shareStarted(ShareWatch watch) {
        long now = timerNow();
        watch.leaseStartMillis = now;
        shares.add(watch);
        return now;
    }

    /** A lease of a shared object ends; says so if it was reported as leaked. */
    void shareEnded(ShareWatch watch) {
        shares.remove(watch);
        if (watch.leakReported) {
            DefaultPool.LOG.info("Pool '{}': a lease reported as leaked was returned after {} ms", name,
                    timerNow() - watch.leaseStartMillis);
        }
    }

    /** The housekeeping scan: reports, once each, leases held for the threshold or longer. */
    void scan(long nowMillis) {
        for (ShareWatch watch : shares) {
            long start = watch.leaseStartMillis;
            if (!watch.leakReported && nowMillis - start >= thresholdMillis) {
                watch.leakReported = true;
                counters.leaks.increment();
                DefaultPool.LOG.warn("Pool '" + name + "': a lease has been held for " + (nowMillis - start)
                        + " ms (leakDetectionThreshold=" + thresholdMillis + " ms); its acquirer subscribed at:",
                        watch.acquiredAt);
            }
        }
        for (Slot<T> slot : registry) {
            long start = slot.leaseStartMillis;
            if (start != Slot.NOT_LEASED && !slot.leakReported && nowMillis - start >= thresholdMillis) {
                slot.leakReported = true;
                counters.leaks.increment();
                DefaultPool.LOG.warn("Pool '" + name + "': a lease has been held for " + (nowMillis - start)
                        + " ms (leakDetectionThreshold=" + thresholdMillis + " ms); its acquirer subscribed at:",
                        slot.acquiredAt);
                if (events != null) {
                    events.leakSuspected(slot.object, nowMillis - start, slot.acquiredAt);
                }
            }
        }
    }

    private long timerNow() {
        return timerScheduler.now(TimeUnit.MILLISECONDS);
    }
}
