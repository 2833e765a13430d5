package dev.reactivepool.jcstress;

import java.util.ArrayList;
import java.util.List;

import dev.reactivepool.Lease;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * The race of {@link ReleaseVsCancel} and its variants: a pool of one object, all of whose
 * leases are held, and one acquirer waiting; one thread releases the leases in turn while
 * another cancels the waiter. The jcstress test's actors and arbiter call these methods.
 */
final class ReleaseCancelRace {

    private final PoolUnderTest put;
    private final List<Lease<Resource>> held = new ArrayList<>();
    private final LeaseCatcher waiter = new LeaseCatcher();

    /** @param leases the leases to hold: the pool's {@code maxLeasesPerObject} in {@code mode} */
    ReleaseCancelRace(PoolMode mode, int leases) {
        put = mode.pool(b -> b.maxSize(1));
        for (int i = 0; i < leases; i++) {
            held.add(put.acquireNow());
        }
        put.pool.acquire().subscribe(waiter);
    }

    /** Releases the held leases one after the other; the first makes room for (or is handed to) the waiter. */
    void release() {
        for (int i = 0; i < held.size(); i++) {
            held.get(i).release().subscribe();
        }
    }

    /** Cancels the waiter. */
    void cancel() {
        waiter.cancel();
    }

    /** Records what the waiter got (r1) and the end state after any lease is returned (r2). */
    void arbiter(LL_Result r) {
        r.r1 = Signals.of(waiter);
        waiter.releaseIfDelivered();
        r.r2 = put.endState();
        put.close();
    }
}
