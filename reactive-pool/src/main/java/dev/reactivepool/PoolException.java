package dev.reactivepool;

/**
 * Base class of the errors a pool signals about its own state. The message and the accessors
 * give the pool's figures at the moment of the error, so that a log line alone tells whether the
 * pool was too small, the backend too slow or the objects leaked.
 */
public abstract class PoolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String poolName;
    private final int maxSize;
    private final int leased;
    private final int idle;
    private final int pending;
    private final int creating;

    /**
     * Creates an exception whose message is {@code what} followed by the pool's figures.
     *
     * @param what     what happened, in a sentence without the figures
     * @param poolName the pool's name
     * @param maxSize  the pool's maximum size
     * @param leased   objects leased at the time
     * @param idle     objects idle at the time
     * @param pending  acquirers waiting at the time
     * @param creating objects being created at the time
     * @param cause    the underlying cause, or null
     */
    protected PoolException(String what, String poolName, int maxSize, int leased, int idle, int pending,
                            int creating, Throwable cause) {
        super("Pool '" + poolName + "': " + what + " [maxSize=" + maxSize + ", leased=" + leased + ", idle=" + idle
                + ", pending=" + pending + ", creating=" + creating + "]", cause);
        this.poolName = poolName;
        this.maxSize = maxSize;
        this.leased = leased;
        this.idle = idle;
        this.pending = pending;
        this.creating = creating;
    }

    /** @return the name of the pool that raised the error */
    public String poolName() {
        return poolName;
    }

    /** @return the pool's maximum size */
    public int maxSize() {
        return maxSize;
    }

    /** @return how many objects were leased when the error was raised */
    public int leased() {
        return leased;
    }

    /** @return how many objects were idle when the error was raised */
    public int idle() {
        return idle;
    }

    /** @return how many acquirers were waiting when the error was raised */
    public int pending() {
        return pending;
    }

    /** @return how many objects were being created when the error was raised */
    public int creating() {
        return creating;
    }
}
