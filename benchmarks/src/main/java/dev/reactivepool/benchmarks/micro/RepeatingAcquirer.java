package dev.reactivepool.benchmarks.micro;

import java.util.concurrent.Executor;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

/**
 * One independent acquirer of the oversubscribed benchmark: acquire, do the step with the object
 * on the step's thread, release, and when the release completes acquire again, for a given number
 * of cycles. It is its own subscriber to {@code acquire()} and holds a reusable one for
 * {@code release()}, so the harness allocates nothing per cycle and no operator (such as a
 * {@code flatMap} over all acquirers) stands between the acquirers and the pool.
 *
 * <p>Its cycles are strictly sequential, so its plain fields are handed from thread to thread by
 * the pool's and the executor's own happens-before edges (delivery, task submission).
 *
 * @param <L> the pool's lease type
 */
abstract class RepeatingAcquirer<L> implements CoreSubscriber<L> {

    private final Executor step;
    private final Runnable afterStep = this::afterStep;
    private final CoreSubscriber<Void> releases = new Releases();
    private CycleBatch batch;
    private int remaining;
    private L lease;
    private long checksum;

    /**
     * @param step where the work with the object runs
     */
    RepeatingAcquirer(Executor step) {
        this.step = step;
    }

    /** Subscribes {@code subscriber} to one acquire of the pool. */
    abstract void subscribeAcquire(CoreSubscriber<? super L> subscriber);

    /** The pooled object of a lease. */
    abstract Resource object(L lease);

    /** Subscribes {@code subscriber} to the release of {@code lease}. */
    abstract void subscribeRelease(L lease, CoreSubscriber<Void> subscriber);

    /**
     * Starts {@code cycles} cycles; reports to {@code batch} when they are done.
     */
    final void start(int cycles, CycleBatch batch) {
        this.batch = batch;
        this.remaining = cycles;
        subscribeAcquire(this);
    }

    /** A value that depends on every object this acquirer used, so that no step is dead code. */
    final long checksum() {
        return checksum;
    }

    @Override
    public final void onSubscribe(Subscription s) {
        s.request(Long.MAX_VALUE);
    }

    @Override
    public final void onNext(L leased) {
        lease = leased;
        step.execute(afterStep);
    }

    @Override
    public final void onError(Throwable t) {
        batch.acquirerFailed(t);
    }

    @Override
    public final void onComplete() {
        // the lease came with onNext; nothing more to do
    }

    private void afterStep() {
        L l = lease;
        lease = null;
        checksum += object(l).id();
        subscribeRelease(l, releases);
    }

    private void released() {
        if (--remaining > 0) {
            subscribeAcquire(this);
        } else {
            batch.acquirerFinished();
        }
    }

    /** The reusable subscriber to releases. */
    private final class Releases implements CoreSubscriber<Void> {

        @Override
        public void onSubscribe(Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(Void v) {
            // a release emits no value
        }

        @Override
        public void onError(Throwable t) {
            batch.acquirerFailed(t);
        }

        @Override
        public void onComplete() {
            released();
        }
    }
}
