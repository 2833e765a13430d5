package dev.reactivepool.benchmarks.micro;

import java.util.concurrent.Executor;

/**
 * A pool under test in the oversubscribed benchmark, built pre-warmed with
 * {@link OversubscribedBenchmark#POOL_SIZE} objects.
 */
interface OversubscribedSubject extends AutoCloseable {

    /**
     * A new independent acquirer of this pool.
     *
     * @param step where the acquirer's work with each object runs
     * @return the acquirer, not started
     */
    RepeatingAcquirer<?> newAcquirer(Executor step);

    /**
     * Shuts the pool down at the end of a trial.
     */
    @Override
    void close();
}
