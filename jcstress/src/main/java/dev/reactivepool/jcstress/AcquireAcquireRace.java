package dev.reactivepool.jcstress;

import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * The race of {@link AcquireVsAcquire} and its variants: a pool of one idle object and two
 * acquirers racing for it. The jcstress test's actors and arbiter call these methods.
 */
final class AcquireAcquireRace {

    private final PoolUnderTest put;
    private final LeaseCatcher first = new LeaseCatcher();
    private final LeaseCatcher second = new LeaseCatcher();

    AcquireAcquireRace(PoolMode mode) {
        put = mode.pool(b -> b.maxSize(1)).withOneIdle();
    }

    /** First acquirer. */
    void acquireFirst() {
        put.pool.acquire().subscribe(first);
    }

    /** Second acquirer. */
    void acquireSecond() {
        put.pool.acquire().subscribe(second);
    }

    /**
     * Returns the winner's lease, checks the waiter is then served, and records the end state:
     * r1 {@code ONE-WINNER then-served} (or what went wrong), r2 {@link PoolUnderTest#endState()}.
     */
    void arbiter(LL_Result r) {
        boolean firstServed = first.lease != null;
        boolean secondServed = second.lease != null;
        String race = firstServed == secondServed ? (firstServed ? "BOTH-SERVED" : "NONE-SERVED") : "ONE-WINNER";
        LeaseCatcher winner = firstServed ? first : second;
        LeaseCatcher loser = firstServed ? second : first;
        winner.releaseIfDelivered();
        String then = loser.lease != null && loser.error == null && !loser.lease.get().destroyed.get()
                ? " then-served" : " then-" + Signals.of(loser);
        loser.releaseIfDelivered();
        r.r1 = race + then;
        r.r2 = put.endState();
        put.close();
    }
}
