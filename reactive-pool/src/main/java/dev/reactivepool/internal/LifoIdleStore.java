package dev.reactivepool.internal;

import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * LIFO idle store on the JDK's lock-free deque: the most recently released slot is reused first.
 * Each offer allocates one small node, the price of LIFO order.
 *
 * @param <T> the type of the pooled objects
 */
final class LifoIdleStore<T> implements IdleStore<T> {

    private final ConcurrentLinkedDeque<Slot<T>> deque = new ConcurrentLinkedDeque<>();

    @Override
    public void offer(Slot<T> slot) {
        deque.offerLast(slot);
    }

    @Override
    public Slot<T> pollFast() {
        return deque.pollLast();
    }

    @Override
    public Slot<T> poll() {
        return deque.pollLast();
    }

    @Override
    public int size() {
        return deque.size();
    }

    @Override
    public void evict(Predicate<Slot<T>> expired, Consumer<Slot<T>> onRemoved, Consumer<Slot<T>> putBack) {
        // Iterate from the oldest; remove() succeeds for exactly one thread (it CASes the node's
        // item to null), so a slot taken by an acquirer meanwhile is simply skipped.
        for (Iterator<Slot<T>> it = deque.iterator(); it.hasNext(); ) {
            Slot<T> slot = it.next();
            if (expired.test(slot) && deque.removeFirstOccurrence(slot)) {
                onRemoved.accept(slot);
            }
        }
    }
}
