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
 * A pool of one object, leased. One thread releases it while another acquires: whichever comes
 * first, the acquirer must get the object (by an idle hit or by a hand-off), and after the
 * arbiter returns it the pool holds exactly one idle object.
 */
@JCStressTest
@Description("acquire vs release: the object reaches the acquirer whatever the order, nothing is lost")
@Outcome(id = "DELIVERED, leased=0 idle=1 pending=0 total=1 lost=0", expect = ACCEPTABLE,
        desc = "The acquirer got the object; back idle after its release.")
@Outcome(expect = FORBIDDEN, desc = "Lost wake-up, lost or duplicated object or permit.")
@State
public class AcquireVsRelease {

    private final AcquireReleaseRace race = new AcquireReleaseRace(PoolMode.PLAIN);

    /** Releases the only object. */
    @Actor
    public void release() {
        race.release();
    }

    /** Acquires it. */
    @Actor
    public void acquire() {
        race.acquire();
    }

    /** Records what the acquirer got and the end state after its release. */
    @Arbiter
    public void arbiter(LL_Result r) {
        race.arbiter(r);
    }
}
