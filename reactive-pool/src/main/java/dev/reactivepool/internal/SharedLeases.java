package dev.reactivepool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.reactivepool.AcquireTimeoutException;
import dev.reactivepool.DestroyReason;
import dev.reactivepool.Lease;
import dev.reactivepool.PoolClosedException;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;

/**
 * Shared leases ({@code maxLeasesPerObject} k > 1): several leases of one object at once. The
 * pool routes here only when k > 1 (its slots and borrowers then have this as their host), so a
 * pool with one lease per object runs none of this code.
 *
 * <p>An object with no lease is owned exactly as with k = 1 (idle store, hand-off queue,
 * borrower, step). Its first lease, when emitted, makes it <em>shared</em>: it enters the
 * {@link #table} and its {@link Slot#shareState} counts its leases. Further leases join it by a
 * CAS on that state ({@link #leastLeasedWithRoom()}: the object with the fewest leases that still has room,
 * over at most maxSize entries); the lease that brings the count back to zero owns the object
 * again, takes it out of the table and resets and returns it (or destroys it if a holder
 * invalidated it). Validation therefore runs only on an object's first lease, the reset only
 * after its last.
 *
 * <p>{@link Slot#shareState} packs the lease count (bits 0-16), {@link #CLOSED} (bit 17: no new
 * lease, set by an invalidation) and the leases so far (bits 18-63, compared with maxUses). A
 * join never raises a count from zero, so an object being validated, reset or idle cannot be
 * joined; and the leases-so-far part only grows, so a CAS from a stale reading always fails.
 *
 * <p>No lost wake-ups: a lease that ends with other leases still on the object decrements the
 * count (a full fence) and then reads the pending count; a first lease publishes the object and
 * then reads it; a waiter raises the pending count before its drain looks for an object to join.
 * So either the releaser sees the waiter and drains, or the waiter's drain sees the room.
 *
 * @param <T> the type of the pooled objects
 */
final class SharedLeases<T> implements BorrowerHost<T> {

    static final long COUNT_MASK = (1L << 17) - 1;
    /** No new lease: a holder invalidated the object. */
    static final long CLOSED = 1L << 17;
    static final int USES_SHIFT = 18;
    static final long ONE_USE = 1L << USES_SHIFT;

    private static final VarHandle SHARE;

    static {
        try {
            SHARE = MethodHandles.lookup().findVarHandle(Slot.class, "shareState", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final DefaultPool<T> pool;
    private final int maxLeases;
    private final long maxUses;
    private final PoolCounters counters;
    /** Null when leak detection is off. */
    private final LeakDetection<T> leakDetection;
    private final boolean lostLeaseDetection;
    private final HoldSampling holdSampling;
    /** Objects with at least one lease, each in one entry; at most maxSize of them. */
    private final AtomicReferenceArray<Slot<T>> table;
    /** Objects in the table, for metrics. */
    private final AtomicInteger objectsLeased = new AtomicInteger();

    SharedLeases(DefaultPool<T> pool, PoolConfig<T> config, PoolCounters counters, LeakDetection<T> leakDetection) {
        this.pool = pool;
        this.maxLeases = config.maxLeasesPerObject();
        this.maxUses = config.maxUses();
        this.counters = counters;
        this.leakDetection = leakDetection;
        this.lostLeaseDetection = config.lostLeaseDetection();
        this.holdSampling = new HoldSampling(config.holdTimeSampling());
        this.table = new AtomicReferenceArray<>(config.maxSizeLimit());
    }

    static int count(long state) {
        return (int) (state & COUNT_MASK);
    }

    static long uses(long state) {
        return state >>> USES_SHIFT;
    }

    /** Objects with at least one lease now. */
    int objectsLeased() {
        return Math.max(0, objectsLeased.get());
    }

    // =====================================================================================
    // Joining a shared object
    // =====================================================================================

    /**
     * Takes one more lease on the shared object with the fewest leases that has room (ties: the
     * first in the table), not closed, not worn out (maxUses) and not past its lifetime.
     *
     * @return the object's slot, its share already counted; null if no shared object has room
     */
    Slot<T> leastLeasedWithRoom() {
        long now = pool.coarseNow();
        int n = table.length();
        for (;;) {
            Slot<T> best = null;
            long bestState = 0;
            int bestCount = maxLeases;
            for (int i = 0; i < n; i++) {
                Slot<T> slot = table.get(i);
                if (slot == null) {
                    continue;
                }
                long state = slot.shareState;
                int c = count(state);
                if (c == 0 || c >= bestCount || (state & CLOSED) != 0 || uses(state) >= maxUses
                        || now >= slot.expiresAtMillis || pool.isEvicted(slot)) {
                    continue;
                }
                best = slot;
                bestState = state;
                bestCount = c;
                if (c == 1) {
                    break; // nothing shared has fewer
                }
            }
            if (best == null) {
                return null;
            }
            if (SHARE.compareAndSet(best, bestState, bestState + 1 + ONE_USE)) {
                return best;
            }
            // Another lease joined or ended meanwhile: choose again.
        }
    }

    /**
     * The idle-hit path's second chance, when nothing is idle: joins a shared object and hands
     * the acquirer a lease emitted on its first request.
     *
     * @return false if no shared object has room (the caller goes on to create or wait)
     */
    boolean joinNow(CoreSubscriber<? super Lease<T>> actual, Duration timeout) {
        Slot<T> slot = leastLeasedWithRoom();
        if (slot == null) {
            return false;
        }
        SharedLease<T> lease = new SharedLease<>(slot, actual,
                leakDetection == null ? null : leakDetection.acquireSite(actual));
        actual.onSubscribe(lease);
        if (lease.isPending()) {
            lease.armTimeout(timeout);
        }
        return true;
    }

    /** The idle-hit path's lease of an idle object (its first lease). */
    SharedLease<T> firstLease(Slot<T> slot, CoreSubscriber<? super Lease<T>> actual) {
        return new SharedLease<>(slot, actual, slot.acquiredAt); // the slot is this acquirer's: its stack, if any
    }

    @Override
    public PooledLease<T> newLease(Slot<T> slot, Throwable acquiredAt) {
        return new SharedLease<>(slot, acquiredAt);
    }

    // =====================================================================================
    // Lease start and end
    // =====================================================================================

    @Override
    public void onLeaseStart(Slot<T> slot, PooledLease<T> lease) {
        SharedLease<T> share = (SharedLease<T>) lease;
        long state = slot.shareState;
        boolean first = count(state) == 0; // nobody else can raise a count from zero: the slot is ours
        long n;
        if (first) {
            n = uses(state) + 1;
            publish(slot);
            slot.shareState = (state & ~CLOSED) + 1 + ONE_USE; // after the index: published by this write
            objectsLeased.incrementAndGet();
        } else {
            n = uses(state); // this lease's share is counted: at least this lease's number
        }
        share.timesAcquired = n;
        share.acquiredAtMillis = pool.coarseNow();
        if (leakDetection != null || lostLeaseDetection) {
            ShareWatch w = new ShareWatch(slot, share.acquiredAtSite);
            share.watch = w;
            if (lostLeaseDetection) {
                w.watch(share);
            }
            if (leakDetection != null) {
                share.acquiredAtMillis = leakDetection.shareStarted(w);
                share.holdStartNanos = System.nanoTime();
            }
        }
        // The object's first lease in a tick is judged by the lease that took it from idle, the one
        // party that owns the slot's plain fields then.
        if (leakDetection == null && holdSampling.times(slot, n, share.acquiredAtMillis, first)) {
            share.holdStartNanos = System.nanoTime();
        }
        counters.acquired.increment();
        ListenerDispatch<T> events = pool.events();
        if (events != null) {
            if (share.holdStartNanos == 0) {
                share.holdStartNanos = System.nanoTime(); // listeners get every hold time, not a sample
            }
            // The borrower wrote its wait into the slot before emitting; a concurrent join may
            // overwrite it, so a shared lease's wait is approximate (docs/events-and-tracing.md).
            events.acquired(slot.object, slot.acquireWaitNanos, n);
        }
        if (first && pool.hasWaiters()) {
            pool.drain(); // the object has room for k - 1 more: a waiter may join it
        }
    }

    /** Puts a slot in a free entry of the table; there is one, as live objects are at most maxSize. */
    private void publish(Slot<T> slot) {
        int n = table.length();
        for (;;) {
            for (int i = 0; i < n; i++) {
                if (table.get(i) == null && table.compareAndSet(i, null, slot)) {
                    slot.sharedIndex = i;
                    return;
                }
            }
            // Entries were freed behind this scan and taken ahead of it: scan again.
        }
    }

    /** A lease ends by its holder's release or invalidation (or a reclaim). */
    void endLease(SharedLease<T> lease, CoreSubscriber<? super Void> done, boolean invalidate) {
        leaseEnded(lease.holdStartNanos, lease.watch);
        ListenerDispatch<T> events = pool.events();
        if (events != null) {
            long start = lease.holdStartNanos;
            events.released(lease.slot.object, start != 0 ? System.nanoTime() - start : 0, invalidate);
        }
        done.onSubscribe(Operators.emptySubscription());
        endShare(lease.slot, done, invalidate);
    }

    private void leaseEnded(long holdStartNanos, ShareWatch watch) {
        counters.returned.increment();
        if (holdStartNanos != 0) {
            counters.holdTime.record(System.nanoTime() - holdStartNanos);
        }
        if (watch != null && leakDetection != null) {
            leakDetection.shareEnded(watch);
        }
    }

    /**
     * Gives back one share of {@code slot}; the last one resets and returns the object, or
     * destroys it if it was invalidated. Completes {@code done} (if not null) when the object is
     * back or destroyed, at once if other leases still hold it.
     */
    private void endShare(Slot<T> slot, CoreSubscriber<? super Void> done, boolean invalidate) {
        if (invalidate) {
            for (;;) {
                long s = slot.shareState;
                if ((s & CLOSED) != 0 || SHARE.compareAndSet(slot, s, s | CLOSED)) {
                    break;
                }
            }
        }
        long old = (long) SHARE.getAndAdd(slot, -1L);
        if (count(old) > 1) {
            // The decrement is a full fence: a waiter that came earlier is seen here, or its drain sees the room.
            if (!invalidate && pool.hasWaiters()) {
                pool.drain();
            }
            if (done != null) {
                done.onComplete();
            }
            return;
        }
        // The last lease: the slot is the caller's alone now.
        table.compareAndSet(slot.sharedIndex, slot, null);
        objectsLeased.decrementAndGet();
        long state = slot.shareState;
        slot.timesAcquired = uses(state); // maxUses is checked on it when the object is recycled
        CoreSubscriber<? super Void> completion = done != null ? done : Operators.drainSubscriber();
        if ((state & CLOSED) != 0) {
            slot.destroyReason = DestroyReason.INVALIDATED;
            pool.destroy(slot, completion);
        } else {
            pool.resetAndRecycle(slot, completion);
        }
    }

    /**
     * A slot goes back without having been handed to its user: a share (the acquirer left after
     * joining) is given back; an object with no lease goes back as with k = 1.
     */
    @Override
    public void returnUnused(Slot<T> slot) {
        if (count(slot.shareState) > 0) {
            endShare(slot, null, false);
        } else {
            pool.returnUnused(slot);
        }
    }

    /** A lease became unreachable while leased ({@code lostLeaseDetection}, see {@link ShareWatch}). */
    @SuppressWarnings("unchecked")
    void onLostShare(ShareWatch watch, boolean neverDereferenced) {
        if (neverDereferenced) {
            DefaultPool.LOG.debug("Pool '{}': a lease lost by Reactor before its subscriber got it was reclaimed",
                    pool.name());
            counters.reclaimed.increment();
            leaseEnded(0, watch);
            endShare((Slot<T>) watch.slot, null, false);
        } else {
            counters.leaks.increment();
            DefaultPool.LOG.warn("Pool '{}': a lease was garbage-collected without being released; its share of the"
                    + " object is not returned, as its holder may still use it (lostLeaseDetection)", pool.name());
        }
    }

    /** Unused with shared leases ({@link ShareWatch} reports them); kept exact for any other caller. */
    @Override
    public void onLostLease(Slot<?> lost, boolean neverDereferenced) {
        pool.onLostLease(lost, neverDereferenced);
    }

    @Override
    public void release(Slot<T> slot, CoreSubscriber<? super Void> done) {
        done.onSubscribe(Operators.emptySubscription());
        endShare(slot, done, false);
    }

    @Override
    public void invalidate(Slot<T> slot, CoreSubscriber<? super Void> done) {
        done.onSubscribe(Operators.emptySubscription());
        endShare(slot, done, true);
    }

    /** A shared object's later leases are not validated: only an idle object's first lease is. */
    @Override
    public boolean needsValidation(Slot<T> slot) {
        return count(slot.shareState) == 0 && pool.needsValidation(slot);
    }

    // =====================================================================================
    // The rest is the pool's
    // =====================================================================================

    @Override
    public String name() {
        return pool.name();
    }

    @Override
    public Scheduler timerScheduler() {
        return pool.timerScheduler();
    }

    @Override
    public boolean deliversInPlace() {
        return pool.deliversInPlace();
    }

    @Override
    public void deliverLater(Runnable emission) {
        pool.deliverLater(emission);
    }

    @Override
    public AcquireTimeoutException acquireTimedOut(Duration timeout) {
        return pool.acquireTimedOut(timeout);
    }

    @Override
    public void onReclaimed() {
        pool.onReclaimed();
    }

    @Override
    public void pendingLeft() {
        pool.pendingLeft();
    }

    @Override
    public void validate(Slot<T> slot, Borrower<T> borrower) {
        pool.validate(slot, borrower);
    }

    @Override
    public void destroyInvalid(Slot<T> slot) {
        pool.destroyInvalid(slot);
    }

    @Override
    public void retryAcquire(Borrower<T> borrower) {
        pool.retryAcquire(borrower);
    }

    @Override
    public ListenerDispatch.Wait<T> acquireWaitStarted(CoreSubscriber<?> acquirer) {
        return pool.acquireWaitStarted(acquirer);
    }

    @Override
    public void recordAcquireLatency(long nanos) {
        pool.recordAcquireLatency(nanos);
    }

    @Override
    public int maxSize() {
        return pool.maxSize();
    }

    @Override
    public boolean isDisposed() {
        return pool.isDisposed();
    }

    @Override
    public PoolClosedException closedException() {
        return pool.closedException();
    }
}
