package dev.reactivepool.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.reactivepool.Affinity;

/**
 * The idle store with thread or executor affinity (see {@link Affinity} and
 * {@code docs/affinity.md}): one FIFO {@link AffinityLane} per thread (THREAD mode) or per
 * executor (EXECUTOR mode), plus a shared lane for objects of threads or executors without a lane
 * of their own.
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
     * The calling thread's lane: in THREAD mode claimed on its first release (the shared lane if
     * none is left); in EXECUTOR mode set by the bind task the executor ran, null elsewhere.
     */
    private final ThreadLocal<AffinityLane<T>> current = new ThreadLocal<>();

    AffinityIdleStore(String poolName, int maxSize, Affinity mode, Function<? super T, ? extends Executor> executorOf) {
        this.poolName = poolName;
        this.perThread = mode == Affinity.THREAD;
        this.executorOf = perThread ? null : executorOf;
        this.laneCapacity = Math.min(maxSize, LANE_CAPACITY);
        this.laneLimit = Math.max(16, 2 * Runtime.getRuntime().availableProcessors());
        this.shared = new AffinityLane<>(maxSize, null, null);
        this.lanes = new AtomicReferenceArray<>(laneLimit);
    }

    @Override
    public void offer(Slot<T> slot) {
        AffinityLane<T> lane = home(slot);
        if (lane != shared && lane.offer(slot)) {
            slot.affinityLane = lane;
            return;
        }
        slot.affinityLane = shared;
        if (!shared.offer(slot)) {
            // Unreachable while the pool's permit accounting holds (idle <= live <= maxSize <= capacity).
            throw new IllegalStateException("idle store full: pool accounting is broken");
        }
    }

    /** The lane a slot goes to: where eviction took it from, its executor's, or the releasing thread's. */
    @SuppressWarnings("unchecked")
    private AffinityLane<T> home(Slot<T> slot) {
        AffinityLane<T> known = (AffinityLane<T>) slot.affinityLane;
        if (slot.keepLane) {
            slot.keepLane = false;
            return known != null ? known : shared;
        }
        if (!perThread) {
            return known != null ? known : executorLane(slot.object);
        }
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

    /** THREAD mode: a lane for a thread's first release: a new one, a dead thread's, or the shared one. */
    private AffinityLane<T> claimLane(Thread thread) {
        for (int i = 0; i < laneLimit; i++) {
            AffinityLane<T> lane = lanes.get(i);
            if (lane == null) {
                AffinityLane<T> created = new AffinityLane<>(laneCapacity, null, thread);
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

    /** EXECUTOR mode: the lane of an object's executor, created (and bound to its thread) on first sight. */
    private AffinityLane<T> executorLane(T object) {
        Executor executor;
        try {
            executor = executorOf.apply(object);
        } catch (RuntimeException e) {
            DefaultPool.LOG.debug("Pool '{}': the affinity function threw {}; the object has no lane", poolName,
                    e.toString());
            return shared;
        }
        if (executor == null) {
            return shared;
        }
        for (int i = 0; i < laneLimit; i++) {
            AffinityLane<T> lane = lanes.get(i);
            if (lane == null) {
                AffinityLane<T> created = new AffinityLane<>(laneCapacity, executor, null);
                if (lanes.compareAndSet(i, null, created)) {
                    bind(created);
                    return created;
                }
                lane = lanes.get(i);
            }
            if (lane.executor == executor) {
                return lane;
            }
        }
        return shared; // more executors than lanes
    }

    /** Learns the executor's thread by running one task on it: from then on, its acquires find the lane. */
    private void bind(AffinityLane<T> lane) {
        try {
            lane.executor.execute(() -> {
                current.set(lane);
                lane.bindTo(Thread.currentThread());
            });
        } catch (RuntimeException rejected) {
            // A shut-down executor: its objects stay reachable by stealing.
            DefaultPool.LOG.debug("Pool '{}': the affinity executor refused the bind task: {}", poolName,
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
