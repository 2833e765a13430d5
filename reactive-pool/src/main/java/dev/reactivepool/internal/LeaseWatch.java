package dev.reactivepool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;

/**
 * Watches one lease for being garbage-collected while still leased (the pool's
 * {@code lostLeaseDetection} option): the lease's {@link Cleaner} action. It must not refer to
 * the lease, or the lease would never become unreachable; a subclass keeps what it needs to
 * report the loss ({@link LostLeaseWatch} for a lease that has its slot to itself,
 * {@link ShareWatch} for one of the leases of a shared object).
 *
 * <p>Concurrency: {@link #state} moves LIVE -> DEREFERENCED (by {@code get()}) and LIVE or
 * DEREFERENCED -> ENDED (release or invalidate, through {@link #ended()}), on threads that hold
 * the lease. {@link #run()} runs on the cleaner's thread only after the lease is unreachable,
 * when no thread can call either any more; it reads the last state, published by the cleaner's
 * reference processing, which happens after the last use of the lease.
 */
abstract class LeaseWatch implements Runnable {

    private static final int LIVE = 0;
    private static final int DEREFERENCED = 1;
    private static final int ENDED = 2;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(LeaseWatch.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One cleaner thread for every pool of the JVM, started on first use. */
    private static final class Holder {
        static final Cleaner CLEANER = Cleaner.create();
    }

    private volatile int state;

    /** Registers this watch as the cleaner action of {@code lease}. */
    final void watch(Object lease) {
        Holder.CLEANER.register(lease, this);
    }

    /** The holder took the object out of the lease. */
    final void dereferenced() {
        if (state == LIVE) {
            STATE.compareAndSet(this, LIVE, DEREFERENCED);
        }
    }

    /** The lease ended normally; the cleaner's run will do nothing. */
    final void ended() {
        state = ENDED;
    }

    @Override
    public final void run() {
        int s = state;
        if (s == ENDED) {
            return;
        }
        state = ENDED;
        lost(s == LIVE);
    }

    /**
     * The lease became unreachable while leased; called once, on the cleaner's thread.
     *
     * @param neverDereferenced {@code get()} was never called, so no one can hold the object
     */
    abstract void lost(boolean neverDereferenced);
}
