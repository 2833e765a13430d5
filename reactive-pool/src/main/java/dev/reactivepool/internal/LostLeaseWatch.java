package dev.reactivepool.internal;

/**
 * The {@link LeaseWatch} of a lease that has its slot to itself (one lease per object).
 *
 * <p>A lease becomes unreachable while leased when Reactor lost it after the pool emitted it
 * without telling any hook: {@code Mono.publishOn} and {@code Flux.publishOn} clear a value they
 * were about to deliver when their subscriber cancels and their drain task had been scheduled
 * (Reactor 3.8), and nothing else refers to the lease. If {@code get()} was never called, no one
 * can hold the object (the lease was the only way to it), so the slot is released as its holder
 * would have. If it was called, the object may still be in use somewhere: the pool only reports
 * it (leak counter and a WARN line) and its permit stays taken, as for any leak.
 *
 * <p>Concurrency: that of {@link LeaseWatch}; {@code slot} is final.
 */
final class LostLeaseWatch extends LeaseWatch {

    private final Slot<?> slot;

    private LostLeaseWatch(Slot<?> slot) {
        this.slot = slot;
    }

    /** Starts watching {@code lease}, which stands for {@code slot}. */
    static LostLeaseWatch watch(Object lease, Slot<?> slot) {
        LostLeaseWatch watch = new LostLeaseWatch(slot);
        watch.watch(lease);
        return watch;
    }

    @Override
    void lost(boolean neverDereferenced) {
        slot.pool.onLostLease(slot, neverDereferenced);
    }
}
