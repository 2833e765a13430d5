package dev.reactivepool;

/**
 * Signalled to acquirers that were waiting when the pool was closed, and to every acquire made
 * after that.
 */
public final class PoolClosedException extends PoolException {

    private static final long serialVersionUID = 1L;

    /**
     * @param poolName the pool's name
     * @param maxSize  the pool's maximum size
     * @param leased   objects leased
     * @param idle     objects idle
     * @param pending  acquirers waiting
     * @param creating objects being created
     */
    public PoolClosedException(String poolName, int maxSize, int leased, int idle, int pending, int creating) {
        super("closed", poolName, maxSize, leased, idle, pending, creating, null);
    }
}
