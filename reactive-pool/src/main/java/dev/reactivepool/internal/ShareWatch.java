package dev.reactivepool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The watch of one lease of a shared object ({@code maxLeasesPerObject > 1}), allocated only when
 * {@code lostLeaseDetection} or leak detection is on. A shared object has several leases at once,
 * so what {@link LostLeaseWatch} and {@link LeakDetection} keep in the {@link Slot} for a lease of
 * its own is kept here, one per lease: the lease's {@link java.lang.ref.Cleaner} action (never
 * referring to the lease) and its leak-detection record (lease start, acquirer's stack, reported).
 *
 * <p>{@link #state} moves LIVE -> DEREFERENCED ({@code get()}) and -> ENDED (release, invalidate
 * or the cleaner's run), as in {@link LostLeaseWatch}.
 */
final class ShareWatch implements Runnable {

    static final int LIVE = 0;
    static final int DEREFERENCED = 1;
    static final int ENDED = 2;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ShareWatch.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The object's slot; its pool is the {@link SharedLeases} that reports a lost lease. */
    final Slot<?> slot;
    /** Leak detection: the acquirer's stack (null when leak detection is off). */
    final Throwable acquiredAt;
    /** Leak detection: when the lease started (exact millis), written before the watch is registered. */
    volatile long leaseStartMillis;
    /** Leak detection: whether this lease was already reported. */
    volatile boolean leakReported;
    private volatile int state;

    ShareWatch(Slot<?> slot, Throwable acquiredAt) {
        this.slot = slot;
        this.acquiredAt = acquiredAt;
    }

    /** Registers this watch as the cleaner action of {@code lease} ({@code lostLeaseDetection}). */
    void watch(Object lease) {
        LostLeaseWatch.Holder.CLEANER.register(lease, this);
    }

    /** The holder took the object out of the lease. */
    void dereferenced() {
        if (state == LIVE) {
            STATE.compareAndSet(this, LIVE, DEREFERENCED);
        }
    }

    /** The lease ended normally; the cleaner's run will do nothing. */
    void ended() {
        state = ENDED;
    }

    @Override
    public void run() {
        int s = state;
        if (s == ENDED) {
            return;
        }
        state = ENDED;
        ((SharedLeases<?>) slot.pool).onLostShare(this, s == LIVE);
    }
}
