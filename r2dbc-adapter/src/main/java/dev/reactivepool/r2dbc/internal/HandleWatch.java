package dev.reactivepool.r2dbc.internal;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;

import dev.reactivepool.Lease;
import dev.reactivepool.Reclaimable;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The life of one {@link PooledConnection} handle, kept outside the handle so that it can also
 * be the handle's {@link Cleaner} action: a handle that becomes unreachable while still open
 * returns its connection to the pool.
 *
 * <p>Why this is safe for the adapter (unlike for the core, where {@code Lease.get()} hands out
 * the object itself): every use of a pooled connection goes through its handle — statements,
 * batches and running operations keep a reference to it — so an unreachable handle means nobody
 * can use the connection any more, unless the borrower took the driver's connection out with
 * {@code unwrap()}. Such a handle is {@link #ESCAPED}: when it is lost, the connection is only
 * reported, never reused. Reactor loses a handle without any hook when {@code publishOn}
 * clears a value it was about to deliver because its subscriber cancelled.
 *
 * <p>States move OPEN -> ESCAPED (unwrap) and OPEN or ESCAPED -> CLOSED (close, reclaim, or this
 * action), each by compare-and-set; the one that reaches CLOSED returns the lease.
 */
final class HandleWatch extends AtomicInteger implements Runnable {

    static final int OPEN = 0;
    static final int ESCAPED = 1;
    static final int CLOSED = 2;

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Loggers.getLogger(HandleWatch.class);

    /** One cleaner thread for the adapter's connections, started on first use. */
    private static final class Holder {
        static final Cleaner CLEANER = Cleaner.create();
    }

    private final transient Lease<ConnectionState> lease;
    private final String poolName;

    HandleWatch(Lease<ConnectionState> lease, String poolName) {
        this.lease = lease;
        this.poolName = poolName;
    }

    /** Starts watching {@code handle}, which must be the only owner of this watch. */
    void watch(PooledConnection handle) {
        Holder.CLEANER.register(handle, this);
    }

    boolean isClosed() {
        return get() == CLOSED;
    }

    /** The borrower took the driver's connection out of the handle. */
    void escaped() {
        compareAndSet(OPEN, ESCAPED);
    }

    /** @return true for the single caller that closes the handle, who must return the lease */
    boolean close() {
        for (;;) {
            int s = get();
            if (s == CLOSED) {
                return false;
            }
            if (compareAndSet(s, CLOSED)) {
                return true;
            }
        }
    }

    /** Returns the lease without its borrower (counted by the pool as reclaimed). */
    void reclaimLease() {
        if (lease instanceof Reclaimable pooled) {
            pooled.reclaim();
        } else {
            lease.release().subscribe(null, error -> { });
        }
    }

    /** The handle was garbage-collected: return its connection unless it was closed or escaped. */
    @Override
    public void run() {
        if (compareAndSet(OPEN, CLOSED)) {
            LOG.debug("Pool '{}': a connection handle lost before use was reclaimed", poolName);
            reclaimLease();
        } else if (get() == ESCAPED) {
            LOG.warn("Pool '{}': a connection was garbage-collected without close() after unwrap() handed out the "
                    + "driver's connection; it is not returned to the pool, as it may still be in use", poolName);
        }
    }
}
