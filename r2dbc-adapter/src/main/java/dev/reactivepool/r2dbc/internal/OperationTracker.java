package dev.reactivepool.r2dbc.internal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tracks one operation (a statement execution, the consumption of a result, a transaction
 * command) of a borrowed connection, so that the reset knows whether the borrower left something
 * running or cut something short.
 *
 * <p>It is notified from {@code doOnTerminate} and {@code doOnCancel}, which run before the
 * signal travels on, rather than from {@code doFinally}, which runs after: a borrower that closes
 * the connection as soon as its work completes must find the operation already ended. The flag
 * makes the end count once even if a cancellation races the termination.
 */
final class OperationTracker extends AtomicBoolean {

    private static final long serialVersionUID = 1L;

    private final transient ConnectionState state;

    OperationTracker(ConnectionState state) {
        this.state = state;
    }

    /** The operation completed or failed. */
    void terminated() {
        if (compareAndSet(false, true)) {
            state.inFlight.decrementAndGet();
        }
    }

    /** The operation was cancelled before it ended: the server may still be running it. */
    void cancelled() {
        if (compareAndSet(false, true)) {
            state.uncertain = true;
            state.inFlight.decrementAndGet();
        }
    }
}
