package dev.reactivepool.internal;

import java.util.function.Consumer;
import java.util.function.Predicate;

import org.jctools.queues.MpmcArrayQueue;

/**
 * FIFO idle store on a bounded lock-free MPMC array queue: offer and poll allocate nothing and
 * cost one CAS each, which keeps the idle-hit path at a single allocation (the lease).
 *
 * @param <T> the type of the pooled objects
 */
final class FifoIdleStore<T> implements IdleStore<T> {

    private final MpmcArrayQueue<Slot<T>> queue;

    FifoIdleStore(int capacity) {
        // MpmcArrayQueue needs at least 2 slots and rounds up to a power of two.
        this.queue = new MpmcArrayQueue<>(Math.max(2, capacity));
    }

    @Override
    public void offer(Slot<T> slot) {
        if (!queue.offer(slot)) {
            // Unreachable while the pool's permit accounting holds (idle <= live <= maxSize <= capacity).
            throw new IllegalStateException("idle store full: pool accounting is broken");
        }
    }

    @Override
    public Slot<T> pollFast() {
        return queue.relaxedPoll();
    }

    @Override
    public Slot<T> poll() {
        // poll() waits for an offer whose index was claimed but whose element is not yet
        // written: that offer is a few instructions from done, and its thread is running.
        return queue.poll();
    }

    @Override
    public int size() {
        return queue.size();
    }

    @Override
    public void evict(Predicate<Slot<T>> expired, Consumer<Slot<T>> onRemoved, Consumer<Slot<T>> putBack) {
        // Rotate once through the queue: take each slot from the head and either remove it or put
        // it back at the tail. Without concurrent activity the order is unchanged; with it, only
        // the slot in hand is briefly invisible to acquirers.
        for (int n = queue.size(); n > 0; n--) {
            Slot<T> slot = queue.relaxedPoll();
            if (slot == null) {
                return;
            }
            if (expired.test(slot)) {
                onRemoved.accept(slot);
            } else {
                putBack.accept(slot);
            }
        }
    }
}
