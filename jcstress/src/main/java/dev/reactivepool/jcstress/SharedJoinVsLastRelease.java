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
 * Shared leases (maxLeasesPerObject 2), a pool of one object with one lease. One thread releases
 * that last lease (the object is taken out of the shared table and goes idle) while another
 * acquires (joins the shared object, or takes it idle, or waits for it): whichever comes first,
 * the acquirer gets the object and nothing is lost.
 */
@JCStressTest
@Description("shared leases: join vs the object's last release; the acquirer gets the object, nothing is lost")
@Outcome(id = "DELIVERED, leases=0 leased=0 idle=1 pending=0 total=1 lost=0", expect = ACCEPTABLE,
        desc = "The acquirer joined or took the object; back idle after its release.")
@Outcome(expect = FORBIDDEN, desc = "Lost wake-up, lost share, object or permit.")
@State
public class SharedJoinVsLastRelease {

    private final AcquireReleaseRace race = new AcquireReleaseRace(PoolMode.SHARED_LEASES);

    /** Releases the object's only lease. */
    @Actor
    public void release() {
        race.release();
    }

    /** Acquires. */
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
