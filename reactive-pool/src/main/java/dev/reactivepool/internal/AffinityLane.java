package dev.reactivepool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.jctools.queues.MpmcArrayQueue;

/**
 * The idle objects of one thread or executor, in FIFO order, within an {@link AffinityIdleStore}.
 * Its queue is multi-producer, multi-consumer: its own thread offers and polls on the fast path,
 * other threads steal from it and put back into it; a queue per lane means that threads working
 * on their own lanes share no written cache line.
 *
 * @param <T> the type of the pooled objects
 */
final class AffinityLane<T> {

    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(AffinityLane.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final MpmcArrayQueue<Slot<T>> queue;
    /**
     * The thread this lane belongs to, set when the lane is claimed and taken over by CAS once that
     * thread died. Null for the shared lane.
     */
    private volatile Thread owner;

    AffinityLane(int capacity, Thread owner) {
        // MpmcArrayQueue needs at least 2 slots and rounds up to a power of two.
        this.queue = new MpmcArrayQueue<>(Math.max(2, capacity));
        this.owner = owner;
    }

    /** Takes over this lane for {@code thread} if its owner died; true if taken. */
    boolean takeOverFromDeadOwner(Thread thread) {
        Thread previous = owner;
        return previous != null && !previous.isAlive() && OWNER.compareAndSet(this, previous, thread);
    }

    /** Whether {@code thread} owns this lane (never true for the shared lane). */
    boolean isOwnedBy(Thread thread) {
        return owner == thread;
    }

    /** Offers a slot; false if this lane is full (the caller puts it in the shared lane). */
    boolean offer(Slot<T> slot) {
        return queue.offer(slot);
    }
}
