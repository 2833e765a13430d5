package dev.reactivepool.jcstress;

import java.time.Duration;

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
 * A pool of one object, leased, and one acquirer waiting with a 1 s timeout. One thread releases
 * the object while another fires the timeout (advances the pool's virtual clock by 1 s). Exactly
 * one of delivery and timeout reaches the acquirer; if the timeout won, the released object is
 * idle; the timeout counter matches.
 */
@JCStressTest
@Description("delivery vs acquire timeout: exactly one wins and the object is never lost")
@Outcome(id = "DELIVERED timeouts=0, leased=0 idle=1 pending=0 total=1 lost=0", expect = ACCEPTABLE,
        desc = "The hand-off won; the timer found nothing to do.")
@Outcome(id = "TIMED_OUT timeouts=1, leased=0 idle=1 pending=0 total=1 lost=0", expect = ACCEPTABLE_INTERESTING,
        desc = "The timeout won; the released object went back to idle.")
@Outcome(expect = FORBIDDEN, desc = "Both or neither signal, a lost object, or a miscounted timeout.")
@State
public class DeliveryVsAcquireTimeout {

    private final PoolUnderTest put = new PoolUnderTest(b -> b.maxSize(1));
    private final Lease<Resource> held = put.acquireNow();
    private final LeaseCatcher waiter = subscribeWaiter();

    private LeaseCatcher subscribeWaiter() {
        LeaseCatcher c = new LeaseCatcher();
        put.pool.acquire(Duration.ofSeconds(1)).subscribe(c);
        return c;
    }

    /** Releases the object (a hand-off to the waiter). */
    @Actor
    public void release() {
        held.release().subscribe();
    }

    /** Fires the waiter's timeout by advancing the pool's virtual clock. */
    @Actor
    public void timeout() {
        put.clock.advanceTimeBy(Duration.ofSeconds(1));
    }

    /** Records the waiter's signal and the timeout counter, then the end state. */
    @Arbiter
    public void arbiter(LL_Result r) {
        r.r1 = Signals.of(waiter) + " timeouts=" + put.pool.metrics().acquireTimeouts();
        waiter.releaseIfDelivered();
        r.r2 = put.endState();
        put.close();
    }
}
