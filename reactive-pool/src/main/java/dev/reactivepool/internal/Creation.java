package dev.reactivepool.internal;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

/**
 * Subscribes to the allocator for one new object and reports the outcome to the pool exactly
 * once: the object, the allocator's error, or an error for an allocator that completed empty.
 *
 * @param <T> the type of the pooled object
 */
final class Creation<T> implements CoreSubscriber<T> {

    private final DefaultPool<T> pool;
    private final Borrower<T> borrower;
    private final boolean probe;
    private final boolean refill;
    private boolean done;

    Creation(DefaultPool<T> pool, Borrower<T> borrower, boolean probe, boolean refill) {
        this.pool = pool;
        this.borrower = borrower;
        this.probe = probe;
        this.refill = refill;
    }

    @Override
    public void onSubscribe(Subscription s) {
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(T object) {
        if (done) {
            return;
        }
        done = true;
        if (object == null) {
            pool.onCreationFailed(borrower, new NullPointerException("the allocator emitted null"), probe, refill);
            return;
        }
        pool.onCreated(borrower, object, probe, refill);
    }

    @Override
    public void onError(Throwable error) {
        if (done) {
            return;
        }
        done = true;
        pool.onCreationFailed(borrower, error, probe, refill);
    }

    @Override
    public void onComplete() {
        if (done) {
            return;
        }
        done = true;
        pool.onCreationFailed(borrower, new IllegalStateException(
                "Pool '" + pool.name() + "': the allocator completed without an object"), probe, refill);
    }
}
