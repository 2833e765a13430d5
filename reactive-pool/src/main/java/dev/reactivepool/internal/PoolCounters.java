package dev.reactivepool.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.reactivepool.PoolMetrics;

/**
 * The pool's event counters and latency recorders, and the {@link PoolMetrics} snapshot built
 * from them.
 *
 * <p>Lease starts and ends of a pool with one lease per object are counted in their slot
 * ({@link Slot#countLeaseEvent}, a release store by the slot's owner, no atomic read-modify-write
 * on the idle-hit path); a snapshot sums them over the live slots ({@link #register}ed at
 * creation) and the total folded in from destroyed ones ({@link #unregister}). The other counters
 * are {@link LongAdder}s: their paths only add (striped, no CAS loop on a shared cell), and only a
 * snapshot sums.
 */
final class PoolCounters {

    /** Shared leases only (maxLeasesPerObject > 1): leases started, counted apart from the slots'. */
    final LongAdder acquired = new LongAdder();
    /** Shared leases only: leases ended. */
    final LongAdder returned = new LongAdder();
    /**
     * Every live slot; added at creation, removed at destruction (O(live slots), destroy path
     * only): a lock-free queue rather than a ConcurrentHashMap, whose writes synchronize on hash bins.
     */
    private final Queue<Slot<?>> live = new ConcurrentLinkedQueue<>();
    /** Lease events of destroyed slots. */
    private final AtomicLong foldedEvents = new AtomicLong();
    /** The highest acquired figure reported so far: keeps it monotonic while slots are folded. */
    private final AtomicLong acquiredReported = new AtomicLong();
    final LongAdder created = new LongAdder();
    final LongAdder destroyed = new LongAdder();
    final LongAdder evicted = new LongAdder();
    final LongAdder creationFailures = new LongAdder();
    final LongAdder validationFailures = new LongAdder();
    final LongAdder resetFailures = new LongAdder();
    final LongAdder destroyFailures = new LongAdder();
    final LongAdder acquireTimeouts = new LongAdder();
    final LongAdder rejections = new LongAdder();
    final LongAdder leaks = new LongAdder();
    final LongAdder reclaimed = new LongAdder();
    final LatencyRecorder acquireLatency = new LatencyRecorder();
    final LatencyRecorder holdTime = new LatencyRecorder();

    /** A new object's slot: its lease events count from now on. */
    void register(Slot<?> slot) {
        live.add(slot);
    }

    /**
     * A slot's object is destroyed (by the slot's owner; it is leased no more): its lease events
     * move to the folded total. The flag is set before the fold, and a snapshot reads the folded
     * total before it scans the slots, so a snapshot can miss a slot being folded (an undercount,
     * which {@link #acquiredReported} hides) but never count it twice.
     */
    void unregister(Slot<?> slot) {
        slot.countsFolded = true;
        foldedEvents.addAndGet(slot.leaseEvents());
        live.remove(slot);
    }

    /** Leases started and not yet ended (approximate under concurrent updates, never negative). */
    int leased() {
        long leases = acquired.sum() - returned.sum();
        for (Slot<?> slot : live) {
            if (!slot.countsFolded) {
                leases += slot.leaseEvents() & 1;
            }
        }
        return (int) Math.max(0, leases);
    }

    /**
     * Leases started so far: monotonic, exact once the pool is quiet (each slot's events are read
     * once; its starts are its events halved, rounded up while it is leased).
     */
    private long acquired(long[] leasedOut) {
        long events = foldedEvents.get();
        long leasedNow = 0;
        for (Slot<?> slot : live) {
            if (!slot.countsFolded) {
                long e = slot.leaseEvents();
                events += e;
                leasedNow += e & 1;
            }
        }
        long sharedAcquired = acquired.sum();
        leasedOut[0] = Math.max(0, leasedNow + sharedAcquired - returned.sum());
        long counted = (events + leasedNow) / 2 + sharedAcquired;
        return acquiredReported.accumulateAndGet(counted, Math::max);
    }

    /**
     * A snapshot of these counters with the pool's current figures. Idle-hit acquires record no
     * latency: they count as zero-latency samples.
     */
    PoolMetrics snapshot(String name, int maxSize, int maxIdle, int idle, int pending, int creating, int total) {
        return snapshot(name, maxSize, maxIdle, idle, pending, creating, total, -1);
    }

    /**
     * As above, with the objects that have a lease counted apart from the leases (shared leases);
     * {@code objectsLeased} -1: one lease per object, the same figure.
     */
    PoolMetrics snapshot(String name, int maxSize, int maxIdle, int idle, int pending, int creating, int total,
                         int objectsLeased) {
        long[] leasedNow = new long[1];
        long acquiredSoFar = acquired(leasedNow);
        int leases = (int) leasedNow[0];
        return new PoolMetrics(name, maxSize, maxIdle, idle, objectsLeased < 0 ? leases : Math.min(objectsLeased, leases),
                leases, pending, creating, total, acquiredSoFar,
                created.sum(), destroyed.sum(), evicted.sum(), creationFailures.sum(), validationFailures.sum(),
                resetFailures.sum(), destroyFailures.sum(), acquireTimeouts.sum(), rejections.sum(), leaks.sum(),
                reclaimed.sum(), acquireLatency.summary(acquiredSoFar - acquireLatency.count()), holdTime.summary(0));
    }
}
