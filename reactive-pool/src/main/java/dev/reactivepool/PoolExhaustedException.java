package dev.reactivepool;

/**
 * Signalled at once by an acquire when {@code maxPending} acquirers are already waiting. The
 * pool sheds load instead of letting the queue, and everybody's latency, grow without bound.
 */
public final class PoolExhaustedException extends PoolException {

    private static final long serialVersionUID = 1L;

    private final int maxPending;

    /**
     * @param poolName   the pool's name
     * @param maxPending the configured pending limit
     * @param maxSize    the pool's maximum size
     * @param leased     objects leased
     * @param idle       objects idle
     * @param pending    acquirers waiting
     * @param creating   objects being created
     */
    public PoolExhaustedException(String poolName, int maxPending, int maxSize, int leased, int idle, int pending,
                                  int creating) {
        super("exhausted, " + pending + " acquirers already waiting (maxPending=" + maxPending + ")",
                poolName, maxSize, leased, idle, pending, creating, null);
        this.maxPending = maxPending;
    }

    /** @return the configured pending limit that was reached */
    public int maxPending() {
        return maxPending;
    }
}
