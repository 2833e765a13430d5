package dev.reactivepool.jcstress;

import dev.reactivepool.AcquireTimeoutException;
import dev.reactivepool.PoolClosedException;

/** Names what an acquirer received, as a jcstress outcome token. */
final class Signals {

    private Signals() {
    }

    /**
     * @return DELIVERED (a live object), TIMED_OUT, CLOSED, NOTHING, or a FORBIDDEN-only token:
     *         DEAD_OBJECT (a destroyed object was handed out), TWO_SIGNALS, or the error's class
     */
    static String of(LeaseCatcher c) {
        if (c.signals > 1) {
            return "TWO_SIGNALS";
        }
        if (c.lease != null) {
            return c.lease.get().destroyed.get() ? "DEAD_OBJECT" : "DELIVERED";
        }
        Throwable e = c.error;
        if (e == null) {
            return "NOTHING";
        }
        if (e instanceof AcquireTimeoutException) {
            return "TIMED_OUT";
        }
        if (e instanceof PoolClosedException) {
            return "CLOSED";
        }
        return e.getClass().getSimpleName();
    }
}
