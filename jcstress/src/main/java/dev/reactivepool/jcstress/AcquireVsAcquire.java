package dev.reactivepool.jcstress;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A pool of one idle object and two acquirers racing for it. Exactly one gets it at once, the
 * other waits; when the winner releases, the waiter gets the same object. The object is never
 * leased twice at once.
 */
@JCStressTest
@Description("acquire vs acquire for one idle object: one winner, the other served on release")
@Outcome(id = "ONE-WINNER then-served, leased=0 idle=1 pending=0 total=1 lost=0", expect = ACCEPTABLE,
        desc = "One acquirer got the object, the other got it after the release.")
@Outcome(expect = FORBIDDEN, desc = "Both or none served at once, a waiter never served, or a lost object.")
@State
public class AcquireVsAcquire {

    private final AcquireAcquireRace race = new AcquireAcquireRace(PoolMode.PLAIN);

    /** First acquirer. */
    @Actor
    public void acquireFirst() {
        race.acquireFirst();
    }

    /** Second acquirer. */
    @Actor
    public void acquireSecond() {
        race.acquireSecond();
    }

    /** Returns the winner's lease, checks the waiter is then served, and records the end state. */
    @Arbiter
    public void arbiter(LL_Result r) {
        race.arbiter(r);
    }
}
