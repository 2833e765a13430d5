package dev.reactivepool.jcstress;

import java.util.concurrent.atomic.AtomicInteger;

import dev.reactivepool.Lease;
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
 * One lease, released on one thread and invalidated on another. Exactly one of them acts: the
 * object is idle (release won) or destroyed (invalidate won), never both, never neither; both
 * calls complete without error; the pool can lease an object afterwards.
 */
@JCStressTest
@Description("invalidate vs release of the same lease: exactly one takes effect")
@Outcome(id = "RELEASED completed=2, leased=0 idle=1 pending=0 total=1 lost=0", expect = ACCEPTABLE,
        desc = "The release won; the invalidate was a no-op.")
@Outcome(id = "INVALIDATED completed=2, leased=0 idle=0 pending=0 total=0 lost=0", expect = ACCEPTABLE_INTERESTING,
        desc = "The invalidate won; the object was destroyed and its permit freed.")
@Outcome(expect = FORBIDDEN, desc = "Both or neither took effect, an error, or a lost object or permit.")
@State
public class InvalidateVsRelease {

    private final PoolUnderTest put = new PoolUnderTest(b -> b.maxSize(1));
    private final Lease<Resource> held = put.acquireNow();
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();

    /** Releases the lease. */
    @Actor
    public void release() {
        held.release().subscribe(null, e -> errors.incrementAndGet(), completed::incrementAndGet);
    }

    /** Invalidates the same lease. */
    @Actor
    public void invalidate() {
        held.invalidate().subscribe(null, e -> errors.incrementAndGet(), completed::incrementAndGet);
    }

    /** Records which call took effect and the end state, then checks the pool still leases. */
    @Arbiter
    public void arbiter(LL_Result r) {
        // The lease is dead now; the object is reached through the fixture's accounting.
        Resource object = put.firstObject();
        String winner = object.destroyed.get() ? "INVALIDATED" : "RELEASED";
        r.r1 = winner + " completed=" + completed.get() + (errors.get() > 0 ? " errors=" + errors.get() : "")
                + (held.isReleased() ? "" : " LEASE-ALIVE");
        r.r2 = put.endState();
        // The pool must still lease an object (the permit of an invalidated one was freed).
        put.acquireNow().release().subscribe();
        put.close();
    }
}
