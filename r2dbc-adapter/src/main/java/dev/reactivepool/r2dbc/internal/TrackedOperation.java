package dev.reactivepool.r2dbc.internal;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.r2dbc.spi.Result;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * One operation of a borrowed connection (a statement execution, the consumption of a result, a
 * transaction command), as the borrower sees it: refused if subscribed after the connection was
 * returned, and tracked while it runs, so that the reset knows whether the borrower left
 * something running, cut something short, or hit a connection error.
 *
 * <p>The subscription is made inside an "entering" window of the connection state: the reset
 * waits for that window to be empty, so that an operation that passed the closed check on one
 * thread while another thread closed the connection reaches the driver (and is seen by the reset)
 * before the reset looks at the connection. Drivers queue the command when it is subscribed, so
 * afterwards the reset's round trip orders after it.
 *
 * <p>One hand-written subscriber does all the tracking (rather than a chain of {@code doOn*}
 * operators and callbacks): this runs for every statement and every result, so it is kept to one
 * allocation per subscription.
 *
 * @param <R> the element type
 */
final class TrackedOperation<R> extends Flux<R> {

    private final PooledConnection owner;
    private final Publisher<?> source;
    private final Runnable beforeSubscribe;
    private final Runnable onSuccess;
    private final boolean wrapResults;

    /**
     * @param owner           the borrowed connection
     * @param source          the driver's publisher
     * @param beforeSubscribe records what the operation may change, before the driver sees it
     * @param onSuccess       records what a successful completion changed
     * @param wrapResults     whether the elements are driver {@link Result}s to be wrapped so
     *                        that their consumption is tracked too
     */
    TrackedOperation(PooledConnection owner, Publisher<?> source, Runnable beforeSubscribe, Runnable onSuccess,
                     boolean wrapResults) {
        this.owner = owner;
        this.source = source;
        this.beforeSubscribe = beforeSubscribe;
        this.onSuccess = onSuccess;
        this.wrapResults = wrapResults;
    }

    @Override
    public void subscribe(CoreSubscriber<? super R> actual) {
        ConnectionState state = owner.state();
        state.entering.incrementAndGet();
        if (owner.isClosed()) {
            state.entering.decrementAndGet();
            Operators.error(actual, owner.returnedToPool());
            return;
        }
        Tracker<R> tracker = new Tracker<>(actual, state, onSuccess, wrapResults ? owner : null);
        try {
            beforeSubscribe.run();
            state.inFlight.incrementAndGet();
            source.subscribe(tracker);
        } finally {
            tracker.leaveEntering();
        }
    }

    /**
     * Passes the driver's signals on and notes the operation's end. The end is noted before the
     * terminal signal travels on (as {@code doOnTerminate} would, not {@code doFinally}): a
     * borrower that closes the connection as soon as its work completes must find the operation
     * already ended. The flag makes the end count once even if a cancellation races the
     * termination.
     *
     * <p>The entering window closes when the driver's {@code subscribe} returns or, if earlier,
     * when the operation completes or fails: a driver may finish a short operation inside
     * {@code subscribe} (its data already buffered), and the borrower may then close the
     * connection on this very thread, still inside the driver's {@code subscribe}; a terminated
     * operation has nothing left to hand to the driver, so the reset need not wait for it (it
     * would otherwise take its slow path, which polls every millisecond). A cancellation does not
     * close the window: the driver may still be queuing the command.
     */
    private static final class Tracker<R> implements CoreSubscriber<Object>, Subscription {

        private static final AtomicIntegerFieldUpdater<Tracker> ENDED =
                AtomicIntegerFieldUpdater.newUpdater(Tracker.class, "ended");
        private static final AtomicIntegerFieldUpdater<Tracker> LEFT =
                AtomicIntegerFieldUpdater.newUpdater(Tracker.class, "left");

        private final CoreSubscriber<? super R> actual;
        /**
         * The borrower's context, read once: a subscriber's context does not change during its
         * subscription, and drivers ask for it many times per operation (r2dbc-postgresql on every
         * discard-on-cancel subscriber and every row it handles), each time walking the whole
         * chain of operators below.
         */
        private final Context context;
        private final ConnectionState state;
        private final Runnable onSuccess;
        /** The connection whose results are wrapped, or null to pass elements on unchanged. */
        private final PooledConnection resultOwner;
        private Subscription upstream;
        private volatile int ended;
        /** 1 once this operation's part of {@code state.entering} was given back. */
        private volatile int left;

        Tracker(CoreSubscriber<? super R> actual, ConnectionState state, Runnable onSuccess,
                PooledConnection resultOwner) {
            this.actual = actual;
            this.context = actual.currentContext();
            this.state = state;
            this.onSuccess = onSuccess;
            this.resultOwner = resultOwner;
        }

        @Override
        public Context currentContext() {
            return context;
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(upstream, s)) {
                upstream = s;
                actual.onSubscribe(this);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public void onNext(Object element) {
            actual.onNext((R) (resultOwner != null ? new PooledResult(resultOwner, (Result) element) : element));
        }

        @Override
        public void onError(Throwable error) {
            state.operationFailed(error);
            leaveEntering();
            end(false);
            actual.onError(error);
        }

        @Override
        public void onComplete() {
            onSuccess.run();
            leaveEntering();
            end(false);
            actual.onComplete();
        }

        @Override
        public void request(long n) {
            upstream.request(n);
        }

        @Override
        public void cancel() {
            end(true);
            upstream.cancel();
        }

        /** Closes this operation's entering window, once. */
        void leaveEntering() {
            if (LEFT.compareAndSet(this, 0, 1)) {
                state.entering.decrementAndGet();
            }
        }

        /** Counts the end once; a cancelled operation may still be running on the server. */
        private void end(boolean cancelled) {
            if (ENDED.compareAndSet(this, 0, 1)) {
                if (cancelled) {
                    state.uncertain = true;
                }
                state.inFlight.decrementAndGet();
            }
        }
    }
}
