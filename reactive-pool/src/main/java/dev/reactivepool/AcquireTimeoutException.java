package dev.reactivepool;

import java.time.Duration;

/**
 * Signalled when an acquire did not get an object within its timeout. The timeout covers the
 * whole acquisition: waiting, creating and validating. When object creation was failing at the
 * time, the last creation error is attached as the cause.
 */
public final class AcquireTimeoutException extends PoolException {

    private static final long serialVersionUID = 1L;

    /** The timeout that elapsed. */
    private final Duration timeout;

    /**
     * @param poolName           the pool's name
     * @param timeout            the timeout that elapsed
     * @param figures            the pool's figures when the timeout elapsed
     * @param lastCreationFailure the last creation error if creation is failing, otherwise null
     */
    public AcquireTimeoutException(String poolName, Duration timeout, PoolFigures figures,
                                   Throwable lastCreationFailure) {
        super("no object could be acquired within " + timeout.toMillis() + " ms"
                        + (lastCreationFailure != null ? " (object creation is failing: " + lastCreationFailure + ")" : ""),
                poolName, figures, lastCreationFailure);
        this.timeout = timeout;
    }

    /** @return the timeout that elapsed */
    public Duration timeout() {
        return timeout;
    }
}
