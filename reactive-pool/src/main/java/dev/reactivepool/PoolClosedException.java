package dev.reactivepool;

/**
 * Signalled to acquirers that were waiting when the pool was closed, and to every acquire made
 * after that.
 */
public final class PoolClosedException extends PoolException {

    private static final long serialVersionUID = 1L;

    /**
     * @param poolName the pool's name
     * @param figures  the pool's figures when the acquire failed
     */
    public PoolClosedException(String poolName, PoolFigures figures) {
        super("closed", poolName, figures, null);
    }
}
