package dev.reactivepool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;

/**
 * Watches one lease for being garbage-collected while still leased (the pool's
 * {@code lostLeaseDetection} option). It is the lease's {@link Cleaner} action, so it must not
 * refer to the lease: it holds the slot and the lease's two facts that matter here.
 *
 * <p>A lease becomes unreachable while leased when Reactor lost it after the pool emitted it
 * without telling any hook: {@code Mono.publishOn} and {@code Flux.publishOn} clear a value they
 * were about to deliver when their subscriber cancels and their drain task had been scheduled
 * (Reactor 3.8), and nothing else refers to the lease. If {@code get()} was never called, no one
 * can hold the object (the lease was the only way to it), so the slot is released as its holder
 * would have. If it was called, the object may still be in use somewhere: the pool only reports
 * it (leak counter and a WARN line) and its permit stays taken, as for any leak.
 *
 * <p>Concurrency: {@link #state} moves LIVE -> DEREFERENCED (by {@code get()}) and LIVE or
 * DEREFERENCED -> ENDED (release or invalidate, through {@code kill()}), on threads that hold the
 * lease. {@link #run()} runs on the cleaner's thread only after the lease is unreachable, when no
 * thread can call either any more; it reads the last state, published by the cleaner's
 * reference processing, which happens after the last use of the lease.
 */
final class LostLeaseWatch implements Runnable {

    static final int LIVE = 0;
    static final int DEREFERENCED = 1;
    static final int ENDED = 2;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(LostLeaseWatch.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One cleaner thread for every pool of the JVM, started on first use (also used by {@link ShareWatch}). */
    static final class Holder {
        static final Cleaner CLEANER = Cleaner.create();
    }

    private final Slot<?> slot;
    private volatile int state;

    private LostLeaseWatch(Slot<?> slot) {
        this.slot = slot;
    }

    /** Starts watching {@code lease}, which stands for {@code slot}. */
    static LostLeaseWatch watch(Object lease, Slot<?> slot) {
        LostLeaseWatch watch = new LostLeaseWatch(slot);
        Holder.CLEANER.register(lease, watch);
        return watch;
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
        slot.pool.onLostLease(slot, s == LIVE);
    }
}
