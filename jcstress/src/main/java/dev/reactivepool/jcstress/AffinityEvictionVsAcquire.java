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
 * {@link EvictionVsAcquire} with {@code affinity(THREAD)}: the object lives in one thread's lane and the
 * other thread steals it or is handed it.
 *
 * <p>A pool with one idle object past its idle timeout (1 s; eviction every 2 s, on the pool's
 * virtual clock). One thread runs the eviction (advances the clock by 2 s) while another
 * acquires. The acquirer gets the old object (taken before the eviction saw it) or a new one
 * (the old one was evicted): never the evicted object, never nothing, and nothing lost.
 */
@JCStressTest
@Description("with affinity THREAD: eviction vs acquire: the acquirer gets a live object, the evicted one is never handed out")
@Outcome(id = "DELIVERED object=1, leased=0 idle=1 pending=0 total=1 lost=0", expect = ACCEPTABLE,
        desc = "The acquire took the old object before the eviction.")
@Outcome(id = "DELIVERED object=2, leased=0 idle=1 pending=0 total=1 lost=0", expect = ACCEPTABLE_INTERESTING,
        desc = "The eviction destroyed the old object; the acquire made a new one.")
@Outcome(expect = FORBIDDEN, desc = "A destroyed object handed out, no lease, or a lost object or permit.")
@State
public class AffinityEvictionVsAcquire {

    private final EvictionAcquireRace race = new EvictionAcquireRace(PoolMode.THREAD_AFFINITY);

    /** Runs the background eviction by advancing the pool's virtual clock. */
    @Actor
    public void evict() {
        race.evict();
    }

    /** Acquires the expired idle object. */
    @Actor
    public void acquire() {
        race.acquire();
    }

    /** Records which object was delivered and the end state after its release. */
    @Arbiter
    public void arbiter(LL_Result r) {
        race.arbiter(r);
    }
}
