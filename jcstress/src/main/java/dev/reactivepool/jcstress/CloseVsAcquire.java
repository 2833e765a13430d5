package dev.reactivepool.jcstress;

import java.util.concurrent.atomic.AtomicBoolean;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A pool with one idle object. One thread closes it while another acquires. The acquirer gets
 * the object (then its release destroys it) or a pool-closed error; either way, once the lease
 * is returned the close completes and every object made was destroyed exactly once.
 */
@JCStressTest
@Description("close vs acquire: a lease or a pool-closed error, then everything destroyed")
@Outcome(id = "DELIVERED, closed created=destroyed total=0", expect = ACCEPTABLE,
        desc = "The acquire won; the object was destroyed on release and the close completed.")
@Outcome(id = "CLOSED, closed created=destroyed total=0", expect = ACCEPTABLE_INTERESTING,
        desc = "The close won; the acquirer failed with PoolClosedException.")
@Outcome(expect = FORBIDDEN, desc = "No signal, a dead object handed out, a close that never completes, a leak.")
@State
public class CloseVsAcquire {

    private final PoolUnderTest put = new PoolUnderTest(b -> b.maxSize(1)).withOneIdle();
    private final LeaseCatcher acquirer = new LeaseCatcher();
    private final AtomicBoolean closeCompleted = new AtomicBoolean();

    /** Closes the pool. */
    @Actor
    public void close() {
        put.pool.close().subscribe(null, e -> { }, () -> closeCompleted.set(true));
    }

    /** Acquires the idle object. */
    @Actor
    public void acquire() {
        put.pool.acquire().subscribe(acquirer);
    }

    /** Records the acquirer's signal, returns any lease, then whether the close completed and all was destroyed. */
    @Arbiter
    public void arbiter(LL_Result r) {
        r.r1 = Signals.of(acquirer);
        acquirer.releaseIfDelivered();
        int created = put.created.get();
        int destroyed = put.destroyed.get();
        r.r2 = (closeCompleted.get() ? "closed" : "NOT-CLOSED")
                + (created == destroyed ? " created=destroyed" : " created=" + created + " destroyed=" + destroyed)
                + " total=" + put.pool.metrics().total()
                + (put.destroyedTwice.get() > 0 ? " DESTROYED-TWICE" : "");
        put.close();
    }
}
