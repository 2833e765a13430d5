package dev.reactivepool.internal;

/**
 * The watch of one lease of a shared object ({@code maxLeasesPerObject > 1}), allocated only when
 * {@code lostLeaseDetection} or leak detection is on. A shared object has several leases at once,
 * so what {@link LostLeaseWatch} and {@link LeakDetection} keep in the {@link Slot} for a lease of
 * its own is kept here, one per lease: the lease's {@link java.lang.ref.Cleaner} action (never
 * referring to the lease) and its leak-detection record (lease start, acquirer's stack, reported).
 *
 * <p>Concurrency: that of {@link LeaseWatch} (its cleaner-action state); the leak-detection fields
 * are volatile, {@code slot} and {@code acquiredAt} final.
 */
final class ShareWatch extends LeaseWatch {

    /** The object's slot; its pool is the {@link SharedLeases} that reports a lost lease. */
    final Slot<?> slot;
    /** Leak detection: the acquirer's stack (null when leak detection is off). */
    final Throwable acquiredAt;
    /** Leak detection: when the lease started (exact millis), written before the watch is registered. */
    volatile long leaseStartMillis;
    /** Leak detection: whether this lease was already reported. */
    volatile boolean leakReported;

    ShareWatch(Slot<?> slot, Throwable acquiredAt) {
        this.slot = slot;
        this.acquiredAt = acquiredAt;
    }

    @Override
    void lost(boolean neverDereferenced) {
        ((SharedLeases<?>) slot.pool).onLostShare(this, neverDereferenced);
    }
}
