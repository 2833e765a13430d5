package dev.reactivepool;

import java.util.Objects;

/**
 * Base class of the errors a pool signals about its own state. The message and {@link #figures()}
 * give the pool's figures at the moment of the error, so that a log line alone tells whether the
 * pool was too small, the backend too slow or the objects leaked.
 */
public abstract class PoolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The name of the pool that raised the error. */
    private final String poolName;
    /** The pool's figures when the error was raised. */
    private final PoolFigures figures;

    /**
     * Creates an exception whose message is {@code what} followed by the pool's figures.
     *
     * @param what     what happened, in a sentence without the figures
     * @param poolName the pool's name
     * @param figures  the pool's figures at the time
     * @param cause    the underlying cause, or null
     */
    protected PoolException(String what, String poolName, PoolFigures figures, Throwable cause) {
        super("Pool '" + poolName + "': " + what + " [" + Objects.requireNonNull(figures, "figures") + "]", cause);
        this.poolName = poolName;
        this.figures = figures;
    }

    /** @return the name of the pool that raised the error */
    public String poolName() {
        return poolName;
    }

    /** @return the pool's figures (maximum size, leased, idle, pending, creating) when the error was raised */
    public PoolFigures figures() {
        return figures;
    }
}
