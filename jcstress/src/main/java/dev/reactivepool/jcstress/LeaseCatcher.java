package dev.reactivepool.jcstress;

import dev.reactivepool.Lease;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

/**
 * A subscriber to {@code Pool.acquire()} that records what it received and can cancel at any
 * moment. Its fields are volatile because the signal may arrive on one actor's thread and be
 * read on another's, or by the arbiter.
 */
final class LeaseCatcher implements CoreSubscriber<Lease<Resource>> {

    private volatile Subscription subscription;
    private volatile boolean cancelRequested;
    volatile Lease<Resource> lease;
    volatile Throwable error;
    volatile int signals;

    @Override
    public void onSubscribe(Subscription s) {
        subscription = s;
        if (cancelRequested) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(Lease<Resource> value) {
        lease = value;
        signals++;
    }

    @Override
    public void onError(Throwable t) {
        error = t;
        signals++;
    }

    @Override
    public void onComplete() {
        // A Mono completes after its value; only onNext and onError are outcomes.
    }

    /** Cancels the acquisition (a no-op once the lease was delivered). */
    void cancel() {
        cancelRequested = true;
        Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    /** Releases the received lease, if any; the release of a pool without resetter is synchronous. */
    void releaseIfDelivered() {
        Lease<Resource> l = lease;
        if (l != null) {
            l.release().subscribe();
        }
    }
}
