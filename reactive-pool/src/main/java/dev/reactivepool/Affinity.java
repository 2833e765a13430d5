package dev.reactivepool;

/**
 * How idle objects are associated with the threads that use them; see
 * {@link PoolBuilder#affinity(Affinity)} and {@code docs/affinity.md}.
 */
public enum Affinity {

    /**
     * No association: one idle set shared by every thread, reused in the configured
     * {@link IdleOrder} across all of them (strict global FIFO by default).
     */
    NONE,

    /**
     * An idle object belongs to the thread that created or last released it; an acquire on that
     * thread is served first by an object of its own, without touching the idle objects of other
     * threads, and otherwise takes the object idle longest elsewhere. At most a fixed number of
     * threads get a set of their own (twice the number of processors, at least 16; a dead
     * thread's set is taken over by the next newcomer); the other threads share one.
     */
    THREAD,

    /**
     * An idle object belongs to the executor it lives on, given by the function passed to
     * {@link PoolBuilder#affinity(java.util.function.Function)}, typically a network connection's
     * event loop; an acquire on that executor's thread is served first by an object of its own,
     * otherwise it takes the object idle longest elsewhere. The executor must be single-threaded
     * (an event loop): the pool learns an object's thread by running one task on its executor on
     * the object's first release, and keeps the object with that thread's from its next release
     * on, wherever it is released. Executors are told apart by their thread, so several executor
     * objects for one event loop share its set.
     */
    EXECUTOR
}
