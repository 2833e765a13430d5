package dev.reactivepool.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.reactivepool.Affinity;

/**
 * The idle store with thread or executor affinity (see {@link Affinity} and
 * {@code docs/affinity.md}): one FIFO {@link AffinityLane} per thread (the releasing thread in
 * THREAD mode, the thread of the object's executor in EXECUTOR mode), plus a shared lane for
 * objects of threads without a lane of their own.
 *
 * <ul>
 *   <li>{@link #offer}: into the lane of the slot's home (the releasing thread's lane, or the lane
 *       of the executor the object lives on), else into the shared lane.</li>
 *   <li>{@link #pollFast}: the calling thread's own lane first, found through a
 *       {@link ThreadLocal} (no shared state read); if it is empty, work stealing: the head idle
 *       longest among the other lanes.</li>
 *   <li>{@link #poll}: the drain loop's poll, the head idle longest among all lanes, with the
 *       non-relaxed queue operations, so that an offer in flight is never missed.</li>
 * </ul>
 *
 * <p>Lanes are created lazily, at most {@link #laneLimit} of them, and never removed; each is
 * published in {@link #lanes} (a volatile array store) before any slot is offered to it, so a
 * drain that scans the array after a releaser's offer sees the lane and the slot.
 *
 * @param <T> the type of the pooled objects
 */
final class AffinityIdleStore<T> implements IdleStore<T> {

    /** The most slots one lane holds; more go to the shared lane. Bounds memory at large maxSize. */
    static final int LANE_CAPACITY = 1024;

    /** How many times the idle-hit path retries a steal that lost a race before the slow path. */
    private static final int FAST_STEAL_ATTEMPTS = 4;

    private final boolean perThread;
    /** EXECUTOR mode: the object's executor; null in THREAD mode. */
    private final Function<? super T, ? extends Executor> executorOf;
    private final String poolName;
    private final int laneCapacity;
    private final int laneLimit;
    /** Objects of threads or executors without a lane; capacity maxSize, so offers never fail. */
    private final AffinityLane<T> shared;
    private final AtomicReferenceArray<AffinityLane<T>> lanes;
    /**
     * The calling thread's lane, claimed on its first release (THREAD mode) or by the task an
     * object's executor ran (EXECUTOR mode); the shared lane if none was left; null if none yet.
     */
    private final ThreadLocal<AffinityLane<T>> current = new ThreadLocal<>();

    AffinityIdleStore(String poolName, int maxSize, Affinity mode, Function<? super T, ? extends Executor> executorOf) {
        this.poolName = poolName;
        this.perThread = mode == Affinity.THREAD;
        this.executorOf = perThread ? null : executorOf;
        this.laneCapacity = Math.min(maxSize, LANE_CAPACITY);
        this.laneLimit = Math.max(16, 2 * Runtime.getRuntime().availableProcessors());
        this.shared = new AffinityLane<>(maxSize, null);
        this.lanes = new AtomicReferenceArray<>(laneLimit);
    }

    @Override
    public void offer(Slot<T> slot) {
        AffinityLane<T> lane = home(slot);
        if (lane != shared && lane.offer(slot)) {
            if (slot.affinityLane != lane) {
                slot.affinityLane = lane; // unchanged on the common path: no store, no GC barrier
            }
            return;
        }
        slot.affinityLane = shared;
        if (!shared.offer(slot)) {
            // Unreachable while the pool's permit accounting holds (idle <= live <= maxSize <= capacity).
            throw new IllegalStateException("idle store full: pool accounting is broken");
        }
    }

    /**
     * The lane a slot goes to: back where eviction took it from; in THREAD mode the releasing
     * thread's; in EXECUTOR mode the lane of its executor's thread once learnt (see
     * {@link #learnHome}), the shared lane until then.
     */
    @SuppressWarnings("unchecked")
    private AffinityLane<T> home(Slot<T> slot) {
        if (slot.keepLane) {
            slot.keepLane = false;
            AffinityLane<T> known = (AffinityLane<T>) slot.affinityLane;
            return known != null ? known : shared;
        }
        if (perThread) {
            // The common case, a thread releasing the slot it took from its own lane: that lane is
            // owned by this thread, and a thread owns at most one lane (its ThreadLocal's), so the
            // ThreadLocal lookup can be skipped.
            Object last = slot.affinityLane;
            if (last != null && ((AffinityLane<T>) last).isOwnedBy(Thread.currentThread())) {
                return (AffinityLane<T>) last;
            }
            return laneOfCurrentThread();
        }
        Object home = slot.affinityHome;
        if (home == null && !slot.homeRequested) {
            slot.homeRequested = true;
            learnHome(slot);
            home = slot.affinityHome; // set already if the executor ran the task inline
        }
        return home != null ? (AffinityLane<T>) home : shared;
    }

    /** The calling thread's lane, claimed on its first use: a new one, a dead thread's, or the shared one. */
    private AffinityLane<T> laneOfCurrentThread() {
        AffinityLane<T> lane = current.get();
        return lane != null ? lane : claimLane(Thread.currentThread());
    }

    @Override
    public Slot<T> pollFast() {
        AffinityLane<T> own = current.get();
        if (own != null) {
            Slot<T> slot = own.queue.relaxedPoll();
            if (slot != null) {
                return slot;
            }
        }
        for (int attempt = 0; attempt < FAST_STEAL_ATTEMPTS; attempt++) {
            AffinityLane<T> victim = oldestHead(true);
            if (victim == null) {
                return null;
            }
            Slot<T> slot = victim.queue.relaxedPoll();
            if (slot != null) {
                return slot;
            }
        }
        return null; // lost every race: the slow path (drain) polls thoroughly
    }

    @Override
    public Slot<T> poll() {
        AffinityLane<T> own = current.get();
        if (own != null) {
            Slot<T> slot = own.queue.poll();
            if (slot != null) {
                return slot;
            }
        }
        for (;;) {
            AffinityLane<T> victim = oldestHead(false);
            if (victim == null) {
                return null; // every lane was seen empty, offers in flight included
            }
            Slot<T> slot = victim.queue.poll();
            if (slot != null) {
                return slot;
            }
            // another thread took that head meanwhile: look again
        }
    }

    /**
     * The lane whose head has been idle longest, or null if every lane is empty. Reads the heads'
     * {@code idleSinceMillis} without owning them: a stale value only makes the choice less exact.
     *
     * @param relaxed may miss an offer in flight (idle-hit path) rather than wait for it (drain)
     */
    private AffinityLane<T> oldestHead(boolean relaxed) {
        AffinityLane<T> best = null;
        long bestSince = Long.MAX_VALUE;
        Slot<T> head = relaxed ? shared.queue.relaxedPeek() : shared.queue.peek();
        if (head != null) {
            best = shared;
            bestSince = head.idleSinceMillis;
        }
        for (int i = 0; i < laneLimit; i++) {
            AffinityLane<T> lane = lanes.get(i);
            if (lane == null) {
                break; // lanes fill the array from the start and are never removed
            }
            head = relaxed ? lane.queue.relaxedPeek() : lane.queue.peek();
            if (head != null && (best == null || head.idleSinceMillis < bestSince)) {
                best = lane;
                bestSince = head.idleSinceMillis;
            }
        }
        return best;
    }

    /** A lane for a thread's first use: a new one, a dead thread's, or the shared one. */
    private AffinityLane<T> claimLane(Thread thread) {
        for (int i = 0; i < laneLimit; i++) {
            AffinityLane<T> lane = lanes.get(i);
            if (lane == null) {
                AffinityLane<T> created = new AffinityLane<>(laneCapacity, thread);
                if (lanes.compareAndSet(i, null, created)) {
                    current.set(created);
                    return created;
                }
                lane = lanes.get(i);
            }
            if (lane.takeOverFromDeadOwner(thread)) {
                current.set(lane);
                return lane;
            }
        }
        current.set(shared); // no lane left: this thread shares the common one from now on
        return shared;
    }

    /**
     * EXECUTOR mode, once per object, on its first offer: runs one task on the object's executor
     * that claims (or finds) the lane of the executor's thread and records it in the slot. Keyed
     * by thread rather than by executor object, so that executors wrapping the same event loop
     * (r2dbc-postgresql makes a Scheduler per connection) share its lane.
     */
    private void learnHome(Slot<T> slot) {
        Executor executor;
        try {
            executor = executorOf.apply(slot.object);
        } catch (RuntimeException e) {
            DefaultPool.LOG.debug("Pool '{}': the affinity function threw {}; the object has no executor", poolName,
                    e.toString());
            return;
        }
        if (executor == null) {
            return;
        }
        try {
            executor.execute(() -> slot.affinityHome = laneOfCurrentThread());
        } catch (RuntimeException rejected) {
            // A shut-down executor: the object stays in the shared lane, reachable by every acquire.
            DefaultPool.LOG.debug("Pool '{}': the affinity executor refused its task: {}", poolName,
                    rejected.toString());
        }
    }

    @Override
    public int size() {
        int n = shared.queue.size();
        for (int i = 0; i < laneLimit; i++) {
            AffinityLane<T> lane = lanes.get(i);
            if (lane == null) {
                break;
            }
            n += lane.queue.size();
        }
        return n;
    }

    @Override
    public void evict(Predicate<Slot<T>> expired, Consumer<Slot<T>> onRemoved, Consumer<Slot<T>> putBack) {
        evict(shared, expired, onRemoved, putBack);
        for (int i = 0; i < laneLimit; i++) {
            AffinityLane<T> lane = lanes.get(i);
            if (lane == null) {
                break;
            }
            evict(lane, expired, onRemoved, putBack);
        }
    }

    /** Rotates once through one lane, as {@link FifoIdleStore#evict} does; kept slots go back to it. */
    private static <T> void evict(AffinityLane<T> lane, Predicate<Slot<T>> expired, Consumer<Slot<T>> onRemoved,
                                  Consumer<Slot<T>> putBack) {
        for (int n = lane.queue.size(); n > 0; n--) {
            Slot<T> slot = lane.queue.relaxedPoll();
            if (slot == null) {
                return;
            }
            if (expired.test(slot)) {
                onRemoved.accept(slot);
            } else {
                slot.affinityLane = lane;
                slot.keepLane = true; // the put-back runs on the housekeeping thread: not a new home
                putBack.accept(slot);
            }
        }
    }
}
