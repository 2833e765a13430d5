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
 * Shared leases (maxLeasesPerObject 2), a pool of one object holding both its leases, and one
 * acquirer waiting. One thread releases the two leases one after the other (the first makes
 * room, so the waiter joins; the second may be the object's last lease, whose return hands the
 * object to the waiter) while another cancels the waiter. The waiter got the object or nothing;
 * either way every share comes back and the object ends idle. (Two actors: jcstress skips tests
 * with more actors than the machine's 2 CPUs.)
 */
@JCStressTest
@Description("shared leases: releases vs the cancel of the waiter they make room for")
@Outcome(id = "DELIVERED, leases=0 leased=0 idle=1 pending=0 total=1 lost=0", expect = ACCEPTABLE,
        desc = "The waiter joined the object or got it back idle before its cancel.")
@Outcome(id = "NOTHING, leases=0 leased=0 idle=1 pending=0 total=1 lost=0", expect = ACCEPTABLE_INTERESTING,
        desc = "The cancel won; its share, if it had one, came back.")
@Outcome(expect = FORBIDDEN, desc = "Lost share, object or permit, or a waiter left pending.")
@State
public class SharedReleasesVsCancel {

    private final ReleaseCancelRace race = new ReleaseCancelRace(PoolMode.SHARED_LEASES, 2);

    /** Releases both leases, the first making room for the waiter. */
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
