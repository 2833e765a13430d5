package dev.reactivepool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One pooled object and its bookkeeping, allocated once per object (never per lease).
 *
 * <p>Ownership: at any instant a slot is owned by exactly one party: the idle store, the
 * hand-off queue, a borrower (while creating, validating or emitting), a lease (while leased),
 * or a reset or destroy step. Only the owner writes the plain fields below; ownership passes
 * through a concurrent queue or a CAS on a borrower's or lease's state, which publishes the
 * writes of the previous owner to the next (happens-before through the queue/CAS).
 *
 * <p>The volatile fields are read by the background housekeeping task without owning the slot
 * (leak detection only).
 *
 * @param <T> the type of the pooled object
 */
final class Slot<T> {

    private static final VarHandle LEASE_EVENTS;

    static {
        try {
            LEASE_EVENTS = MethodHandles.lookup().findVarHandle(Slot.class, "leaseEvents", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The pool, as its leases see it. */
    final LeaseHost<T> pool;
    final T object;
    /** Creation time, timer-scheduler clock, milliseconds. */
    final long createdAtMillis;
    /** Coarse-clock deadline after which the object is past its maximum lifetime. */
    final long expiresAtMillis;

    /**
     * The pool's {@link Operations#generation() generation} when this object's creation started:
     * an object of an older generation (before an {@code evictAll}) is never handed out again.
     */
    final int generation;

    /** Whether this slot holds one of the idle places counted against maxIdle (owner-written). */
    boolean idleCounted;
    /** Destroyed as surplus of a resize down: its destruction ends one of {@link Operations}' retirements (owner-written). */
    boolean retired;

    /** Coarse-clock time the object last became idle (owner-written). */
    long idleSinceMillis;
    /** Pool-clock ns of the last release, kept only when validation may be skipped (owner-written). */
    long releasedAtNanos;
    /** Leases of this object so far (owner-written). */
    long timesAcquired;
    /** When the current lease started: coarse clock, or exact when leak detection is on (owner-written). */
    long acquiredAtMillis;
    /** nanoTime when the current lease started if its hold time is sampled, else 0 (owner-written). */
    long holdStartNanos;
    /**
     * The coarse-clock reading when this object's hold time was last sampled (owner-written):
     * its first lease in each tick of that clock is timed, whatever {@code holdTimeSampling}.
     */
    long holdSampledTick = Long.MIN_VALUE;

    /** Listeners only: the wait of the acquire about to be emitted, set by its borrower (owner-written). */
    long acquireWaitNanos;
    /**
     * Listeners only: why the object is being destroyed, set by the party that destroys it just
     * before (owner-written); null means the pool's close.
     */
    dev.reactivepool.DestroyReason destroyReason;
    /**
     * With affinity: the {@link AffinityLane} this slot was last offered to (owner-written; read
     * by the next offer, to keep an evicted-and-kept slot in its lane and to remember an
     * executor's lane).
     */
    Object affinityLane;
    /** With affinity: the next offer goes back to {@link #affinityLane} (set by eviction's put-back). */
    boolean keepLane;
    /** EXECUTOR affinity: the task that learns {@link #affinityHome} was started (owner-written). */
    boolean homeRequested;
    /**
     * EXECUTOR affinity: the lane of the thread of the object's executor, written by a task run
     * on that executor (hence volatile), read by the offers that follow.
     */
    volatile Object affinityHome;

    /**
     * Lease starts plus lease ends of this object so far, with one lease per object: odd while
     * leased. The pool's acquired and leased figures are summed from these (see
     * {@link PoolCounters}), so the idle-hit path counts without an atomic read-modify-write.
     * Written only by the slot's owner, with a release store (a plain store on x86); read by
     * {@code metrics()} without owning the slot.
     */
    @SuppressWarnings("unused") // through LEASE_EVENTS
    private long leaseEvents;
    /**
     * Set once, by the slot's destroyer, before its {@link #leaseEvents} are folded into the pool's
     * total: a metrics read that sees it skips the slot (see {@link PoolCounters#unregister}).
     */
    volatile boolean countsFolded;

    /** Value of {@link #leaseStartMillis} while not leased (0 is a valid clock reading). */
    static final long NOT_LEASED = Long.MIN_VALUE;

    /**
     * With {@code lostLeaseDetection}: the watch of the current lease (owner-written before the
     * emission; kept here rather than in the lease, which is the idle-hit path's only allocation).
     */
    LostLeaseWatch lostLeaseWatch;

    /** Leak detection: start of the current lease (exact millis), {@link #NOT_LEASED} when not leased. */
    volatile long leaseStartMillis = NOT_LEASED;
    /**
     * Leak detection: the stack of the current lease's acquirer, taken when it subscribed to the
     * acquire (see {@link LeakDetection#acquireSite}); written by the owner before the lease starts.
     */
    volatile Throwable acquiredAt;
    /** Leak detection: whether the current lease was already reported. */
    volatile boolean leakReported;

    /**
     * With {@code maxLeasesPerObject > 1} only: the object's leases now, its leases so far and
     * whether it still takes new ones, packed by {@link SharedLeases} (which alone updates it, by
     * CAS). Zero leases means the slot is owned as described above; one or more, that its
     * leases share it.
     */
    volatile long shareState;
    /** With {@code maxLeasesPerObject > 1}: its place in the table of shared objects (owner-written). */
    int sharedIndex;

    Slot(LeaseHost<T> pool, T object, long createdAtMillis, long expiresAtMillis, int generation) {
        this.pool = pool;
        this.generation = generation;
        this.object = object;
        this.createdAtMillis = createdAtMillis;
        this.expiresAtMillis = expiresAtMillis;
        this.idleSinceMillis = createdAtMillis;
    }

    /** A lease of this object starts or ends; called by the slot's owner only. */
    void countLeaseEvent() {
        LEASE_EVENTS.setRelease(this, (long) LEASE_EVENTS.get(this) + 1);
    }

    /** {@link #leaseEvents} as last published by an owner; for readers that do not own the slot. */
    long leaseEvents() {
        return (long) LEASE_EVENTS.getAcquire(this);
    }

    @Override
    public String toString() {
        // Never print the object itself: it may render credentials (connection strings, tokens).
        return "Slot[" + object.getClass().getSimpleName() + ", leases=" + timesAcquired + "]";
    }
}
