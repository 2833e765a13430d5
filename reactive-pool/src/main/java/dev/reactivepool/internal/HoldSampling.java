package dev.reactivepool.internal;

/**
 * Which leases have their hold timed for the hold-time metric ({@code holdTimeSampling}): one
 * in {@code n} by the object's lease count, plus each object's first lease in each tick of the
 * pool's coarse clock, so that a busy pool reads the clock rarely and a pool leasing a few times
 * a second is timed nearly every time. Immutable; the per-object state is
 * {@link Slot#holdSampledTick}, written by the slot's owner.
 */
final class HoldSampling {

    /** One lease in this many; 0: never. */
    private final int every;
    /** {@code every - 1} when {@code every} is a power of two (no division on the idle hit), else -1. */
    private final long mask;

    HoldSampling(int every) {
        this.every = every;
        this.mask = Integer.bitCount(every) == 1 ? every - 1 : -1;
    }

    /**
     * Whether to time the lease numbered {@code n} of {@code slot}, starting at coarse time
     * {@code now}. Only a caller that owns the slot's plain fields may pass {@code owner} true:
     * it alone judges, and records, the object's first lease in a tick.
     */
    boolean times(Slot<?> slot, long n, long now, boolean owner) {
        if (every == 0) {
            return false;
        }
        if (owner && slot.holdSampledTick != now) {
            slot.holdSampledTick = now;
            return true;
        }
        return mask >= 0 ? (n & mask) == 0 : n % every == 0;
    }
}
