package dev.reactivepool.jcstress;

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
 * A pool of one object, leased, and one acquirer waiting for it. One thread releases the object
 * (a hand-off to the waiter) while another cancels the waiter. Either the waiter got the object
 * before its cancel, or the cancel won and the object went back to idle: never lost, never
 * stuck in the hand-off.
 */
@JCStressTest
@Description("release vs cancel of the waiter it hands off to: the object is delivered or goes back idle")
@Outcome(id = "DELIVERED, leased=0 idle=1 pending=0 total=1 lost=0", expect = ACCEPTABLE,
        desc = "The hand-off reached the waiter before its cancel.")
@Outcome(id = "NOTHING, leased=0 idle=1 pending=0 total=1 lost=0", expect = ACCEPTABLE_INTERESTING,
        desc = "The cancel won; the released object went back to idle.")
@Outcome(expect = FORBIDDEN, desc = "Lost object or permit, or a waiter left pending.")
@State
public class ReleaseVsCancel {

    private final ReleaseCancelRace race = new ReleaseCancelRace(PoolMode.PLAIN, 1);

    /** Releases the object (a hand-off to the waiter). */
    @Actor
    public void release() {
        race.release();
    }

    /** Cancels the waiter. */
    @Actor
    public void cancel() {
        race.cancel();
    }

    /** Records what the waiter got and the end state after any lease is returned. */
    @Arbiter
    public void arbiter(LL_Result r) {
        race.arbiter(r);
    }
}
