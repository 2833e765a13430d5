package dev.reactivepool.jcstress;

import java.time.Duration;

import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * The race of {@link EvictionVsAcquire} and its variants: a pool with one idle object past its
 * idle timeout (1 s; eviction every 2 s, on the pool's virtual clock); one thread runs the
 * eviction while another acquires. The jcstress test's actors and arbiter call these methods.
 */
final class EvictionAcquireRace {

    private final PoolUnderTest put;
    private final LeaseCatcher acquirer = new LeaseCatcher();

    EvictionAcquireRace(PoolMode mode) {
        put = mode.pool(b -> b.maxSize(1)
                .idleTimeout(Duration.ofSeconds(1))
                .evictionInterval(Duration.ofSeconds(2))).withOneIdle();
    }

    /** Runs the background eviction by advancing the pool's virtual clock by 2 s. */
    void evict() {
        put.clock.advanceTimeBy(Duration.ofSeconds(2));
    }

    /** Acquires the expired idle object. */
    void acquire() {
        put.pool.acquire().subscribe(acquirer);
    }

    /** Records which object was delivered (r1, {@code object=1} the old one) and the end state after its release (r2). */
    void arbiter(LL_Result r) {
        String signal = Signals.of(acquirer);
        r.r1 = acquirer.lease != null ? signal + " object=" + acquirer.lease.get().id : signal;
        acquirer.releaseIfDelivered();
        r.r2 = put.endState();
        put.close();
    }
}
