package dev.reactivepool.benchmarks.micro;

/**
 * A pool under test in the idle-hit benchmark, built pre-warmed with
 * {@link IdleHitSubjects#POOL_SIZE} objects and FIFO reuse where the pool lets one choose.
 */
public interface IdleHitSubject extends AutoCloseable {

    /**
     * A cycle for one benchmark thread, holding that thread's reusable subscribers.
     *
     * @return a new cycle
     */
    IdleHitCycle newCycle();

    /**
     * Shuts the pool down at the end of a trial.
     *
     * @throws Exception if the pool under test fails to close
     */
    @Override
    void close() throws Exception;
}
