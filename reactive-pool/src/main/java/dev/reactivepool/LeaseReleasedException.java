package dev.reactivepool;

/**
 * Thrown by {@link Lease#get()} on a lease that was already released or invalidated: the object
 * may by now belong to another user, so touching it through this lease would be a data race.
 */
public final class LeaseReleasedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * @param poolName the name of the pool the lease came from
     */
    public LeaseReleasedException(String poolName) {
        super("Pool '" + poolName + "': this lease was already released or invalidated; "
                + "acquire a new lease instead of keeping the object after returning it");
    }
}
