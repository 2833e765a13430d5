package dev.reactivepool.internal;

import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The set of idle objects, in reuse order. Implementations are lock-free; {@link #offer} and the
 * polls transfer ownership of a slot exclusively (a slot polled by one thread is seen by no other).
 *
 * @param <T> the type of the pooled objects
 */
interface IdleStore<T> {

    /**
     * Adds an idle slot. Never fails: capacity is at least the pool's maxSize.
     *
     * @param slot the slot, owned by the caller until this call
     */
    void offer(Slot<T> slot);

    /**
     * Takes the next slot to reuse, or null. May return null while a concurrent offer is in
     * flight (the offering thread then checks for waiters itself); used on the idle-hit path.
     *
     * @return a slot now owned by the caller, or null
     */
    Slot<T> pollFast();

    /**
     * Takes the next slot to reuse, or null if there is none. Unlike {@link #pollFast()}, sees a
     * concurrent offer whose position was already claimed; used by the drain loop, where missing
     * such an offer could leave a waiter stranded.
     *
     * @return a slot now owned by the caller, or null
     */
    Slot<T> poll();

    /**
     * An estimate of the number of idle slots.
     *
     * @return the size
     */
    int size();

    /**
     * Removes every slot matching {@code expired} and hands it to {@code onRemoved}, keeping the
     * order of the others. Runs on the housekeeping thread, concurrently with acquires and
     * releases; at most one slot at a time is out of the store while it runs.
     *
     * @param expired   which slots to remove
     * @param onRemoved receives each removed slot, now owned by it
     * @param putBack   receives each slot taken out but not expired, to be put back
     */
    void evict(Predicate<Slot<T>> expired, Consumer<Slot<T>> onRemoved, Consumer<Slot<T>> putBack);
}
