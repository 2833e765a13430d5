package dev.reactivepool.r2dbc.internal;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Function;

import dev.reactivepool.Lease;
import io.r2dbc.spi.Connection;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.Context;

/**
 * Emits each leased connection on the connection's own I/O thread (when the driver exposes it),
 * so that the borrower's statements start where the connection's I/O happens. A subscriber that
 * cancels while the hand-over is under way gets nothing and the lease is released: nothing is
 * lost between the pool's emission and the emission on the I/O thread.
 */
public final class ConnectionThreadDelivery extends Mono<Connection> {

    private final Mono<Lease<ConnectionState>> leases;
    private final Function<Lease<ConnectionState>, Connection> wrap;

    /**
     * @param leases the pool's acquire
     * @param wrap   turns a lease into the connection the borrower sees
     */
    public ConnectionThreadDelivery(Mono<Lease<ConnectionState>> leases,
                                    Function<Lease<ConnectionState>, Connection> wrap) {
        this.leases = leases;
        this.wrap = wrap;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Connection> actual) {
        leases.subscribe(new Handover(actual, wrap));
    }

    /** One acquire: waits for the lease, then emits it on the connection's thread unless cancelled. */
    private static final class Handover implements CoreSubscriber<Lease<ConnectionState>>, Subscription, Runnable {

        private static final int WAITING = 0;
        private static final int SCHEDULED = 1;
        private static final int DONE = 2;
        private static final int CANCELLED = 3;

        private static final AtomicIntegerFieldUpdater<Handover> STATE =
                AtomicIntegerFieldUpdater.newUpdater(Handover.class, "state");

        private final CoreSubscriber<? super Connection> actual;
        private final Function<Lease<ConnectionState>, Connection> wrap;
        private Subscription upstream;
        private Lease<ConnectionState> lease;
        private volatile int state;

        Handover(CoreSubscriber<? super Connection> actual, Function<Lease<ConnectionState>, Connection> wrap) {
            this.actual = actual;
            this.wrap = wrap;
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(upstream, s)) {
                upstream = s;
                actual.onSubscribe(this);
            }
        }

        @Override
        public void onNext(Lease<ConnectionState> leased) {
            lease = leased; // published to run() and cancel() by the state CAS below
            if (!STATE.compareAndSet(this, WAITING, SCHEDULED)) {
                release(leased); // cancelled as the pool emitted it
                return;
            }
            Scheduler io = leased.get().ioScheduler();
            if (io == null) {
                run();
                return;
            }
            try {
                io.schedule(this);
            } catch (RuntimeException rejected) {
                run(); // the I/O thread refuses work (shutting down): emit here rather than never
            }
        }

        /** Emits the connection, on its I/O thread, unless the subscriber left meanwhile. */
        @Override
        public void run() {
            if (STATE.compareAndSet(this, SCHEDULED, DONE)) {
                actual.onNext(wrap.apply(lease));
                actual.onComplete();
            }
        }

        @Override
        public void onError(Throwable error) {
            if (STATE.compareAndSet(this, WAITING, DONE)) {
                actual.onError(error);
            }
        }

        @Override
        public void onComplete() {
            if (STATE.compareAndSet(this, WAITING, DONE)) {
                actual.onComplete(); // no lease (not expected from the pool)
            }
        }

        @Override
        public void request(long n) {
            upstream.request(n);
        }

        @Override
        public void cancel() {
            for (;;) {
                int s = state;
                if (s == WAITING) {
                    if (STATE.compareAndSet(this, WAITING, CANCELLED)) {
                        upstream.cancel(); // the pool returns a lease it had not emitted yet
                        return;
                    }
                } else if (s == SCHEDULED) {
                    if (STATE.compareAndSet(this, SCHEDULED, CANCELLED)) {
                        release(lease);
                        return;
                    }
                } else {
                    return;
                }
            }
        }

        private static void release(Lease<ConnectionState> leased) {
            leased.release().subscribe(null, error -> { });
        }
    }
}
