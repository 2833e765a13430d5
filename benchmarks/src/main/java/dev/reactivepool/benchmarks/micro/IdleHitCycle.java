package dev.reactivepool.benchmarks.micro;

/**
 * One thread's view of a pool under test: one idle-hit acquire followed by the release of the
 * same object. Not thread-safe: each benchmark thread gets its own from
 * {@link IdleHitSubject#newCycle()}.
 */
public interface IdleHitCycle {

    /**
     * Acquires an idle object and releases it.
     *
     * @return the object that was leased, for JMH to consume
     * @throws Exception if the pool under test fails
     */
    Object acquireAndRelease() throws Exception;
}
