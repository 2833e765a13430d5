package dev.reactivepool.r2dbc.internal;

import java.lang.ref.WeakReference;
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
 * The {@code Mono} of {@code PooledConnectionFactory.create()}: turns each lease into the
 * borrower's {@link PooledConnection} and emits it, on the connection's own I/O thread when asked
 * to (so that the borrower's statements start where the connection's I/O happens), signals the
 * pool's errors as R2DBC exceptions ({@link PoolErrors}; mapped here rather than by an
 * {@code onErrorMap} operator, which would add a subscriber to every acquire), and takes the
 * connection back when the subscriber cancels at any point:
 * <ul>
 *   <li>before the pool emitted a lease: the cancel goes to the pool, which keeps the lease;</li>
 *   <li>after the pool emitted it, before the connection was emitted (the hop to the I/O
 *   thread): the lease is released, nothing is emitted;</li>
 *   <li>after the connection was emitted: the subscription was abandoned by whoever received the
 *   connection (Spring's {@code R2dbcTransactionManager} cancels {@code create()} through
 *   {@code flatMap} when the request is cancelled during {@code beginTransaction}, and never
 *   closes the connection it received). The connection is {@linkplain PooledConnection#reclaim()
 *   reclaimed}: its handle dies first (every later use fails with the "returned to the pool"
 *   error), then it is returned as by {@code close()}: operations still running are awaited,
 *   the transaction rolled back, the session restored, or the connection destroyed.</li>
 * </ul>
 * Every path ends in exactly one release of the lease: the handle's close is a compare-and-set,
 * and a handle is made for one lease only, so a connection is never held by two borrowers.
 *
 * <p>State machine ({@link #state} of each {@link HandOut}, every transition a CAS):
 * <pre>
 *   WAITING ──onNext──► SCHEDULED ──run──► EMITTING ──► DONE
 *      │                    │                 │           │
 *      └──cancel──► CANCELLED ◄───cancel──────┴───────────┘
 * </pre>
 * The winner of a transition out of SCHEDULED, EMITTING or DONE owns the lease (or the handle)
 * and ends it: {@code run} emits or reclaims, {@code cancel} releases or reclaims.
 */
public final class ConnectionHandOut extends Mono<Connection> {

    private final Mono<Lease<ConnectionState>> leases;
    private final Function<Lease<ConnectionState>, PooledConnection> wrap;
    private final boolean onConnectionThread;

    /**
     * @param leases             the pool's acquire; its errors are mapped to R2DBC exceptions here
     * @param wrap               turns a lease into the connection the borrower sees
     * @param onConnectionThread emit on the connection's I/O thread when the driver exposes it
     */
    public ConnectionHandOut(Mono<Lease<ConnectionState>> leases,
                             Function<Lease<ConnectionState>, PooledConnection> wrap, boolean onConnectionThread) {
        this.leases = leases;
        this.wrap = wrap;
        this.onConnectionThread = onConnectionThread;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Connection> actual) {
        leases.subscribe(new HandOut(actual, wrap, onConnectionThread));
    }

    /** One acquire: waits for the lease, emits its connection unless cancelled, reclaims it if abandoned. */
    private static final class HandOut implements CoreSubscriber<Lease<ConnectionState>>, Subscription, Runnable {

        private static final int WAITING = 0;
        private static final int SCHEDULED = 1;
        private static final int EMITTING = 2;
        private static final int DONE = 3;
        private static final int CANCELLED = 4;

        private static final AtomicIntegerFieldUpdater<HandOut> STATE =
                AtomicIntegerFieldUpdater.newUpdater(HandOut.class, "state");

        private final CoreSubscriber<? super Connection> actual;
        private final Function<Lease<ConnectionState>, PooledConnection> wrap;
        private final boolean onConnectionThread;
        private Subscription upstream;
        /** Written before the CAS into SCHEDULED, read by its winners; cleared once the handle holds it. */
        private Lease<ConnectionState> lease;
        /**
         * Written before the CAS EMITTING -> DONE, read by the winner of DONE -> CANCELLED. Weak: this
         * subscriber can outlive the acquire (the pool may keep its subscriber until its next drain),
         * and must not keep a handle reachable that its borrower lost (see HandleWatch).
         */
        private WeakReference<PooledConnection> handle;
        private volatile int state;

        HandOut(CoreSubscriber<? super Connection> actual, Function<Lease<ConnectionState>, PooledConnection> wrap,
                boolean onConnectionThread) {
            this.actual = actual;
            this.wrap = wrap;
            this.onConnectionThread = onConnectionThread;
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
            lease = leased;
            if (!STATE.compareAndSet(this, WAITING, SCHEDULED)) {
                release(leased); // cancelled as the pool emitted it
                return;
            }
            ConnectionState state = leased.get();
            // Already on the connection's thread (an affinity hit): no hop needed.
            Scheduler io = onConnectionThread && !state.onIoThread() ? state.ioScheduler() : null;
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

        /** Emits the connection (on its I/O thread when hopping), unless the subscriber left meanwhile. */
        @Override
        public void run() {
            if (!STATE.compareAndSet(this, SCHEDULED, EMITTING)) {
                return; // cancelled: cancel() released the lease
            }
            PooledConnection connection = wrap.apply(lease);
            handle = new WeakReference<>(connection);
            lease = null; // held by the handle from now on
            if (STATE.compareAndSet(this, EMITTING, DONE)) {
                actual.onNext(connection);
                actual.onComplete();
            } else {
                connection.reclaim(); // cancelled while the handle was made: never emitted
            }
        }

        @Override
        public void onError(Throwable error) {
            if (STATE.compareAndSet(this, WAITING, CANCELLED)) {
                actual.onError(PoolErrors.toR2dbc(error));
            }
        }

        @Override
        public void onComplete() {
            if (STATE.compareAndSet(this, WAITING, CANCELLED)) {
                actual.onComplete(); // no lease (not expected from the pool)
            }
            // after onNext: this operator completes the subscriber itself, in run()
        }

        @Override
        public void request(long n) {
            upstream.request(n);
        }

        @Override
        public void cancel() {
            for (;;) {
                int s = state;
                if (s == CANCELLED) {
                    return;
                }
                if (STATE.compareAndSet(this, s, CANCELLED)) {
                    switch (s) {
                        case WAITING -> upstream.cancel(); // the pool keeps a lease it had not emitted
                        case SCHEDULED -> release(lease);
                        case DONE -> reclaimAbandoned();
                        default -> { } // EMITTING: run() sees the cancel and reclaims
                    }
                    return;
                }
            }
        }

        /** Cancelled after emission: the borrower abandoned the connection, unless it is already gone. */
        private void reclaimAbandoned() {
            PooledConnection connection = handle.get();
            if (connection != null) {
                connection.reclaim();
            } // else collected: its HandleWatch returned it
        }

        private static void release(Lease<ConnectionState> leased) {
            leased.release().subscribe(null, error -> { });
        }
    }
}
