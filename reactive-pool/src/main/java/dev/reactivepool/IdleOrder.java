package dev.reactivepool;

/**
 * The order in which idle objects are reused.
 */
public enum IdleOrder {

    /**
     * The object idle longest is reused first (the default). Keeps every idle object in
     * circulation, so that none goes stale while others do the work.
     */
    FIFO,

    /**
     * The object released most recently is reused first. Keeps a small hot set busy and lets
     * the rest reach the idle timeout; costs one small allocation per release.
     */
    LIFO
}
