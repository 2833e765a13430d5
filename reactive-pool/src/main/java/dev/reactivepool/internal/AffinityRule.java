package dev.reactivepool.internal;

import java.util.concurrent.Executor;
import java.util.function.Function;

import dev.reactivepool.Affinity;
import dev.reactivepool.IdleOrder;
import dev.reactivepool.InvalidPoolConfigurationException;

/**
 * The checks of the {@code affinity} option beyond its range: EXECUTOR needs the function that
 * gives an object's executor, and lanes are FIFO, so affinity needs {@code idleOrder} FIFO.
 */
final class AffinityRule {

    private AffinityRule() {
    }

    static void check(Affinity affinity, Function<?, ? extends Executor> executorOf, IdleOrder idleOrder) {
        OptionRule.AFFINITY.checkGiven("affinity", affinity);
        if (affinity == Affinity.EXECUTOR && executorOf == null) {
            throw new InvalidPoolConfigurationException("affinity",
                    "EXECUTOR needs the function from an object to its executor: use affinity(Function)");
        }
        if (affinity != Affinity.NONE && idleOrder == IdleOrder.LIFO) {
            throw new InvalidPoolConfigurationException("affinity",
                    affinity + " keeps idle objects in FIFO order per thread; it cannot be combined with idleOrder"
                            + " LIFO (use affinity NONE with LIFO, or idleOrder FIFO with affinity)");
        }
    }
}
