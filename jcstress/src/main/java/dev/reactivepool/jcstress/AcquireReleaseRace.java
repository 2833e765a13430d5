package dev.reactivepool.jcstress;

import dev.reactivepool.Lease;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * The race of {@link AcquireVsRelease} and its variants: a pool of one object with one lease;
 * one thread releases that lease while another acquires. The jcstress test's actors and arbiter
 * call these methods.
 */
final class AcquireReleaseRace {

    private final PoolUnderTest put;
    private final Lease<Resource> held;
    private final LeaseCatcher acquirer = new LeaseCatcher();

    AcquireReleaseRace(PoolMode mode) {
        put = mode.pool(b -> b.maxSize(1));
        held = put.acquireNow();
    }

    /** Releases the object's only lease. */
    void release() {
        held.release().subscribe();
    }

    /** Acquires. */
    void acquire() {
        put.pool.acquire().subscribe(acquirer);
    }

    /** Records what the acquirer got (r1) and the end state after its release (r2). */
    void arbiter(LL_Result r) {
        r.r1 = Signals.of(acquirer);
        acquirer.releaseIfDelivered();
        r.r2 = put.endState();
        put.close();
    }
}
