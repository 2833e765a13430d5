package dev.reactivepool.benchmarks.micro;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One benchmark invocation of the oversubscribed benchmark: every acquirer reports here when it
 * has done its cycles, or the first failure; the benchmark thread waits for all of them.
 */
final class CycleBatch {

    private final CountDownLatch finished;
    private volatile Throwable failure;

    CycleBatch(int acquirers) {
        this.finished = new CountDownLatch(acquirers);
    }

    /** An acquirer has done all its cycles. */
    void acquirerFinished() {
        finished.countDown();
    }

    /** An acquirer failed; the batch fails with the first failure. */
    void acquirerFailed(Throwable t) {
        if (failure == null) {
            failure = t;
        }
        finished.countDown();
    }

    /**
     * Waits for every acquirer (on the benchmark thread, never on a thread of the pool or the step).
     *
     * @param timeout how long the batch may take at most
     * @throws Exception if an acquirer failed, the batch timed out or the wait was interrupted
     */
    void await(Duration timeout) throws Exception {
        if (!finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException(finished.getCount() + " acquirers did not finish within " + timeout);
        }
        Throwable t = failure;
        if (t != null) {
            throw new IllegalStateException("an acquirer failed", t);
        }
    }
}
