package dev.reactivepool;

/**
 * Signalled at once by an acquire when {@code maxPending} acquirers are already waiting. The
 * pool sheds load instead of letting the queue, and everybody's latency, grow without bound.
 */
public final class PoolExhaustedException extends PoolException {

    private static final long serialVersionUID = 1L;

    /** The configured pending limit that was reached. */
    private final int maxPending;

    /**
     * @param poolName   the pool's name
     * @param maxPending the configured pending limit
     * @param figures    the pool's figures when the acquire was refused
     */
    public PoolExhaustedException(String poolName, int maxPending, PoolFigures figures) {
        super("exhausted, " + figures.pending() + " acquirers already waiting (maxPending=" + maxPending + ")",
                poolName, figures, null);
        this.maxPending = maxPending;
    }

    /** @return the configured pending limit that was reached */
    public int maxPending() {
        return maxPending;
    }
}
