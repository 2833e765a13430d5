package dev.reactivepool.jcstress;

import java.util.concurrent.atomic.AtomicReference;

import dev.reactivepool.Lease;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;
import reactor.core.Disposable;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A pool of one object, leased, and one acquirer waiting for it through
 * {@code acquire().subscribe(consumer)}. One thread releases the object (a hand-off to the waiter)
 * while another disposes the waiter's subscription. When the pool's emission wins the race but
 * the lambda subscriber has already been disposed, Reactor drops the lease through
 * {@code Operators.onNextDropped}; the library's global hook gives it back. Never lost.
 */
@JCStressTest
@Description("hand-off vs dispose of a lambda subscriber: a lease dropped after emission comes back")
@Outcome(id = "DELIVERED, leased=0 idle=1 pending=0 total=1 lost=0", expect = ACCEPTABLE,
        desc = "The consumer got the lease before the dispose.")
@Outcome(id = "NOTHING, leased=0 idle=1 pending=0 total=1 lost=0", expect = ACCEPTABLE_INTERESTING,
        desc = "The dispose won (the waiter left the queue), or the lease was dropped and reclaimed.")
@Outcome(expect = FORBIDDEN, desc = "Lost lease or permit, or a waiter left pending.")
@State
public class DeliveryVsSubscriberCancel {

    private final PoolUnderTest put = new PoolUnderTest(b -> b.maxSize(1));
    private final Lease<Resource> held = put.acquireNow();
    private final AtomicReference<Lease<Resource>> received = new AtomicReference<>();
    private final Disposable waiter = put.pool.acquire().subscribe(received::set);

    /** Releases the object (a hand-off to the waiter). */
    @Actor
    public void release() {
        held.release().subscribe();
    }

    /** Disposes the waiter's lambda subscriber. */
    @Actor
    public void dispose() {
        waiter.dispose();
    }

    /** Records what the consumer got and the end state after any lease it got is returned. */
    @Arbiter
    public void arbiter(LL_Result r) {
        Lease<Resource> lease = received.get();
        r.r1 = lease == null ? "NOTHING" : "DELIVERED";
        if (lease != null) {
            lease.release().subscribe();
        }
        r.r2 = put.endState();
        put.close();
    }
}
