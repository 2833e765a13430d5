package dev.reactivepool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.reactivepool.AcquireTimeoutException;
import dev.reactivepool.DestroyReason;
import dev.reactivepool.DroppedLeases;
import dev.reactivepool.Lease;
import dev.reactivepool.Pool;
import dev.reactivepool.PoolClosedException;
import dev.reactivepool.PoolMetrics;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The pool. See {@code CONCURRENCY.md} in this module for the states an object goes through and
 * which party may move it; in short:
 * <ul>
 *   <li>{@link #total} counts live objects and is the permit counter: it is incremented (CAS,
 *       bounded by maxSize) before an object is created and decremented only after its destroyer
 *       finished, so nothing alive escapes the bound.</li>
 *   <li>Idle objects live in the {@link #idle} store. The idle-hit path polls it directly on the
 *       subscriber's thread when nobody waits ({@link #pendingCount} is 0).</li>
 *   <li>Waiting acquirers ({@link Borrower}s) and released objects meant for them are queued in
 *       the {@link DrainLoop}, whose single consumer matches them, decides creations and closes,
 *       without racing and without a lock.</li>
 *   <li>Lost wake-ups are prevented Dekker-style: an acquirer increments {@link #pendingCount}
 *       before it looks at the idle store (inside the drain), and a releaser offers to the idle
 *       store (a CAS, a full fence) before it reads {@link #pendingCount}; so at least one of
 *       them sees the other and drains.</li>
 * </ul>
 * This class keeps the hot paths (the idle-hit acquire, the lease start, the start of release and
 * invalidate, the idle offer) and the state they read: {@link #total}, {@link #pendingCount},
 * {@link #idleCount}, {@link #closed} and the coarse clock. Every other job is a part it holds in a
 * final field, each reaching the pool through a small interface of what it needs, implemented here
 * and nowhere else (so calls through it stay monomorphic): {@link Waiting} ({@link WaitingHost}),
 * {@link DrainLoop} ({@link DrainHost}, with {@link DeadlineQueue}), {@link CreationControl}
 * ({@link CreationHost}), {@link Validation}, {@link ReturnPath} ({@link ReturnHost}),
 * {@link Operations} ({@link OperationsHost}), {@link Housekeeping} ({@link HousekeepingHost}, with
 * {@link Expiry}), {@link PoolClose} ({@link CloseHost}), {@link PoolStatus} ({@link StatusHost}),
 * {@link LeakDetection}, {@link StepRunner} and {@link PoolCounters}. Borrowers and leases see it
 * through {@link BorrowerHost} and {@link LeaseHost}.
 *
 * @param <T> the type of the pooled objects
 */
public final class DefaultPool<T> implements Pool<T>, BorrowerHost<T>, OperationsHost<T>, ReturnHost<T>, CloseHost,
        HousekeepingHost<T>, StatusHost, WaitingHost<T>,
        CreationHost<T>, DrainHost<T> {

    /** The pool's one log category, shared by its parts. */
    static final Logger LOG = Loggers.getLogger(DefaultPool.class);

    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(DefaultPool.class, "closed", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // ---- configuration (immutable) ----
    private final PoolConfig<T> config;
    private final String name;
    /** Changed at runtime by resize (see {@link Operations}); read by reservePermit and the release path. */
    private volatile int maxSize;
    private volatile int maxIdle;
    /** Whether idle places are counted against maxIdle (maxIdle < maxSize); changed by resize. */
    private volatile boolean idleCapped;
    /** The idle-expiry rule, or null when no expiry option is set. */
    private final Expiry<T> expiry;
    /** Which leases have their hold timed (holdTimeSampling). */
    private final HoldSampling holdSampling;
    private final Scheduler timerScheduler;
    private final Scheduler deliveryScheduler;
    /** Whether a validator is configured (read on the idle-hit path). */
    private final boolean validates;
    /** Whether a resetter is configured (read on the release path). */
    private final boolean resets;

    // ---- object stores ----
    private final IdleStore<T> idle;
    /** The waiting queues, the hand-off queue and the deadline queue, and their single consumer. */
    private final DrainLoop<T> drainLoop;
    /** Leak detection, or null when it is off. */
    private final LeakDetection<T> leakDetection;
    /** Creation: permits to objects, backoff, minIdle refill, warm-up. */
    private final CreationControl<T> creation;
    /** evictAll's generation, resize's surplus, suspension. */
    private final Operations<T> ops;
    /** Reset, return, destroy. */
    private final ReturnPath<T> returns;
    /** Whether an object is due for validation, the validator, destroying the invalid. */
    private final Validation<T> validation;

    // ---- state ----
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicInteger pendingCount = new AtomicInteger();
    /** Reserved idle places; maintained only when maxIdle < maxSize. */
    private final AtomicInteger idleCount = new AtomicInteger();
    /** The coarse clock: the timer scheduler's time in ms, advanced by housekeeping. */
    private volatile long coarseNowMillis;
    private volatile int closed;
    private final Mono<Lease<T>> acquireMono;
    /** The acquire that waits or creates, and the retry after a failed validation. */
    private final Waiting<T> waiting;
    /** Metrics, the figures in errors, toString. */
    private final PoolStatus<T> status;
    /** Close: the flag is {@link #closed}, the rest is there. */
    private final PoolClose<T> closing;

    // ---- counters ----
    private final PoolCounters counters = new PoolCounters();
    /** Watch every lease for being garbage-collected while leased (see LostLeaseWatch). */
    private final boolean lostLeaseDetection;
    /** Shared leases (maxLeasesPerObject > 1), else null: then nothing below routes there. */
    private final SharedLeases<T> shared;
    /** The host of slots and borrowers: this pool, or {@link #shared}. */
    private final BorrowerHost<T> host;
    /** Lifecycle listeners, or null when none (then no event costs more than this null check). */
    private final ListenerDispatch<T> events;

    /**
     * Builds the pool from a checked configuration; use {@link dev.reactivepool.PoolBuilder}.
     *
     * @param config the configuration, already validated
     */
    public DefaultPool(PoolConfig<T> config) {
        this.config = config;
        this.name = config.name();
        this.maxSize = config.maxSize();
        this.maxIdle = config.maxIdle();
        this.idleCapped = config.idleCapped();
        this.expiry = Expiry.of(config);
        this.validates = config.validator() != null;
        this.resets = config.resetter() != null;
        StepRunner<T> steps = new StepRunner<>(config); // the user's callbacks, each bounded by its timeout
        this.holdSampling = new HoldSampling(config.holdTimeSampling());
        this.lostLeaseDetection = config.lostLeaseDetection();
        this.events = ListenerDispatch.of(config);
        this.timerScheduler = config.timerScheduler();
        this.deliveryScheduler = config.deliveryScheduler();
        this.ops = new Operations<>(this, config, counters);
        this.idle = config.affinity() != dev.reactivepool.Affinity.NONE
                ? new AffinityIdleStore<>(name, config.maxSizeLimit(), config.affinity(), config.affinityExecutor())
                : config.idleOrder() == dev.reactivepool.IdleOrder.FIFO
                ? new FifoIdleStore<>(config.maxSizeLimit()) : new LifoIdleStore<>();
        this.leakDetection = LeakDetection.of(config, counters, events);
        this.shared = config.maxLeasesPerObject() > 1 ? new SharedLeases<>(this, config, counters, leakDetection) : null;
        this.host = shared != null ? shared : this;
        this.creation = new CreationControl<>(this, config, counters, ops, host, leakDetection, events);
        this.drainLoop = new DrainLoop<>(this, config, creation, ops, shared);
        this.returns = new ReturnPath<>(this, config, steps, counters, events, leakDetection, ops, drainLoop, creation);
        this.validation = new Validation<>(config, steps, counters, events, returns);
        this.status = new PoolStatus<>(this, name, counters, creation, shared);
        this.waiting = new Waiting<>(this, host, config, drainLoop, creation, ops, status, counters, shared,
                leakDetection);
        this.coarseNowMillis = timerNow();
        this.acquireMono = new AcquireMono<>(this, config.acquireTimeout(), true);
        Housekeeping<T> housekeeping = new Housekeeping<>(this, config, creation, leakDetection, expiry, returns, events);
        DroppedLeases.installHook(); // leases dropped by Reactor come back (see DroppedLeases)
        // Before the housekeeping starts: a refused registration (duplicate name) leaves nothing running.
        PoolJmx jmx = config.registerJmx() ? PoolJmx.register(this) : null;
        this.closing = new PoolClose<>(this, config, housekeeping, creation, jmx);
        housekeeping.schedule();
    }

    // =====================================================================================
    // Acquire
    // =====================================================================================

    @Override
    public Mono<Lease<T>> acquire() {
        return acquireMono;
    }

    @Override
    public Mono<Lease<T>> acquire(Duration timeout) {
        if (timeout == null || timeout.isZero() || timeout.isNegative()
                || timeout.compareTo(PoolConfig.MAX_DURATION) > 0) {
            throw new IllegalArgumentException("Pool '" + name + "': acquire timeout must be a positive duration of at"
                    + " most " + PoolConfig.MAX_DURATION.toDays() + " days, was " + timeout);
        }
        return new AcquireMono<>(this, timeout, timeout.equals(config.acquireTimeout()));
    }

    /** One subscription to an acquire Mono. */
    void subscribeAcquire(CoreSubscriber<? super Lease<T>> actual, Duration timeout, boolean sharedDeadline) {
        if (closed != 0) {
            Operators.error(actual, closedException());
            return;
        }
        if (pendingCount.get() == 0) {
            // Idle-hit path: nobody waits, so taking an idle object cannot overtake anyone.
            Slot<T> slot = takeIdle(true);
            if (slot != null) {
                if (!validates || !needsValidation(slot)) {
                    if (leakDetection != null) {
                        slot.acquiredAt = leakDetection.acquireSite(actual); // the slot is this acquirer's from here on
                    }
                    PooledLease<T> lease = shared == null ? new PooledLease<>(slot, actual) : shared.firstLease(slot, actual);
                    actual.onSubscribe(lease);
                    if (lease.isPending()) {
                        lease.armTimeout(timeout); // rare: no request yet, the timeout must still fire
                    }
                    return;
                }
                Borrower<T> borrower = new Borrower<>(host, actual, timeout, sharedDeadline, waiting.acquireSite(actual));
                actual.onSubscribe(borrower);
                if (!borrower.assign(slot)) {
                    returnUnused(slot);
                    return;
                }
                // Armed once the validation is under way, and only if the acquire did not end
                // inside assign: a validator that answers at once (a constant) then costs no clock
                // read, no timer and no drain pass. A borrower whose object failed validation is
                // back in a waiting queue by now, and is watched from here on.
                if (!borrower.isDone()) {
                    waiting.startTimer(borrower);
                }
                return;
            }
            if (shared != null && shared.joinNow(actual, timeout)) {
                return; // nothing idle: a share of the least-leased object with room
            }
        }
        waiting.subscribe(actual, timeout, sharedDeadline);
    }

    @Override
    public void retryAcquire(Borrower<T> borrower) {
        waiting.retry(borrower);
    }

    /** Whether the object was created before the last {@link #evictAll()}: it takes no new lease. */
    boolean isEvicted(Slot<T> slot) {
        return ops.isStale(slot);
    }

    @Override
    public PooledLease<T> newLease(Slot<T> slot, Throwable acquiredAt) {
        return new PooledLease<>(slot); // acquiredAt: the borrower sets Slot.acquiredAt itself
    }

    @Override
    public void pendingLeft() {
        pendingCount.decrementAndGet();
    }

    @Override
    public int pendingCount() {
        return pendingCount.get();
    }

    @Override
    public boolean addPending(int seen) {
        return pendingCount.compareAndSet(seen, seen + 1);
    }

    /**
     * Takes an idle object, destroying those found past their idle timeout or lifetime.
     *
     * @param fast the idle-hit path (may miss an offer in flight) rather than the drain loop
     */
    @Override
    public Slot<T> takeIdle(boolean fast) {
        for (;;) {
            Slot<T> slot = fast ? idle.pollFast() : idle.poll();
            if (slot == null) {
                return null;
            }
            if (slot.idleCounted) {
                idleCount.decrementAndGet();
            }
            if (ops.isStale(slot)) {
                ops.destroyEvictedAll(slot, null); // created before an evictAll: never handed out again
                continue;
            }
            if (expiry != null && expiry.isExpired(slot, coarseNowMillis)) {
                if (events != null) {
                    slot.destroyReason = expiry.reason(slot, coarseNowMillis);
                }
                returns.evict(slot, null);
                continue;
            }
            return slot;
        }
    }

    @Override
    public boolean needsValidation(Slot<T> slot) {
        return validation.needsValidation(slot);
    }

    @Override
    public void validate(Slot<T> slot, Borrower<T> borrower) {
        validation.validate(slot, borrower);
    }

    @Override
    public void destroyInvalid(Slot<T> slot) {
        validation.destroyInvalid(slot);
    }

    /** Emits on the delivery scheduler; if it refuses, on the current thread rather than never. */
    @Override
    public void deliverLater(Runnable emission) {
        try {
            deliveryScheduler.schedule(emission);
        } catch (RuntimeException rejected) {
            emission.run();
        }
    }

    /**
     * Bookkeeping when a lease is handed to its user; runs on the emitting thread, owner of the
     * slot. With leak detection on, the caller has set {@link Slot#acquiredAt} to the acquirer's
     * {@link LeakDetection#acquireSite} (published below by the volatile write of the lease start).
     */
    @Override
    public void onLeaseStart(Slot<T> slot, PooledLease<T> lease) {
        long n = ++slot.timesAcquired;
        lease.timesAcquired = n;
        if (lostLeaseDetection) {
            slot.lostLeaseWatch = LostLeaseWatch.watch(lease, slot);
        }
        if (leakDetection != null) {
            leakDetection.leaseStarted(slot, lease);
        } else {
            long now = coarseNowMillis;
            lease.acquiredAtMillis = now;
            if (holdSampling.times(slot, n, now, true)) {
                slot.holdStartNanos = System.nanoTime();
            }
        }
        slot.countLeaseEvent(); // the acquired count, per slot: no atomic on the idle-hit path
        if (events != null) {
            if (slot.holdStartNanos == 0) {
                slot.holdStartNanos = System.nanoTime(); // listeners get every hold time, not a sample
            }
            long waited = slot.acquireWaitNanos;
            slot.acquireWaitNanos = 0;
            events.acquired(slot.object, waited, n);
        }
    }

    @Override
    public ListenerDispatch.Wait<T> acquireWaitStarted(CoreSubscriber<?> acquirer) {
        return events == null ? null : events.waitStarted(acquirer.currentContext());
    }

    /** The lifecycle listeners, or null when none. */
    ListenerDispatch<T> events() {
        return events;
    }

    /**
     * A lease became unreachable while leased (see {@link LostLeaseWatch}); runs on the cleaner's
     * thread. Never dereferenced: released as its holder would have. Dereferenced: reported.
     */
    @SuppressWarnings("unchecked")
    @Override
    public void onLostLease(Slot<?> lost, boolean neverDereferenced) {
        Slot<T> slot = (Slot<T>) lost;
        if (neverDereferenced) {
            LOG.debug("Pool '{}': a lease lost by Reactor before its subscriber got it was reclaimed", name);
            counters.reclaimed.increment();
            release(slot, Operators.drainSubscriber());
        } else {
            counters.leaks.increment();
            LOG.warn("Pool '{}': a lease was garbage-collected without being released; its object is not"
                    + " returned, as its holder may still use it (lostLeaseDetection)", name);
        }
    }

    /** A lease dropped by Reactor after emission was handed back (see PooledLease.reclaim). */
    @Override
    public void onReclaimed() {
        counters.reclaimed.increment();
    }

    @Override
    public void recordAcquireLatency(long nanos) {
        counters.acquireLatency.record(nanos);
    }

    @Override
    public AcquireTimeoutException acquireTimedOut(Duration timeout) {
        return status.acquireTimedOut(timeout);
    }

    @Override
    public boolean deliversInPlace() {
        return deliveryScheduler == null;
    }

    @Override
    public Scheduler timerScheduler() {
        return timerScheduler;
    }

    @Override
    public int maxSize() {
        return maxSize;
    }

    /** Runs the drain loop, or makes the thread running it pass once more (see {@link DrainLoop}). */
    @Override
    public void drain() {
        drainLoop.drain();
    }

    // =====================================================================================
    // Permits and counts, for CreationControl
    // =====================================================================================

    /** Takes a permit for an object about to be created; false at maxSize. */
    @Override
    public boolean reservePermit() {
        for (;;) {
            int t = total.get();
            if (t >= maxSize) {
                return false;
            }
            if (total.compareAndSet(t, t + 1)) {
                return true;
            }
        }
    }

    /** Gives back a permit whose object was not created (no follow-up: see afterPermitFreed). */
    @Override
    public void returnPermit() {
        total.decrementAndGet();
    }

    @Override
    public boolean hasWaiters() {
        return pendingCount.get() > 0;
    }

    @Override
    public int idleSize() {
        return idle.size();
    }

    @Override
    public Mono<Integer> warmup() {
        return creation.warmup();
    }

    // =====================================================================================
    // Release, reset, return, destroy
    // =====================================================================================

    /**
     * A lease ends: reset (if configured), then return or destroy the object, and complete
     * {@code done} once the object is back in the pool or destroyed.
     */
    @Override
    public void release(Slot<T> slot, CoreSubscriber<? super Void> done) {
        onLeaseEnd(slot, false);
        done.onSubscribe(Operators.emptySubscription());
        if (!resets || closed != 0) {
            returns.recycle(slot, done);
            return;
        }
        returns.reset(slot, done);
    }

    /** A lease ends by invalidation: the object is destroyed, then {@code done} completes. */
    @Override
    public void invalidate(Slot<T> slot, CoreSubscriber<? super Void> done) {
        onLeaseEnd(slot, true);
        done.onSubscribe(Operators.emptySubscription());
        slot.destroyReason = DestroyReason.INVALIDATED;
        destroy(slot, done);
    }

    private void onLeaseEnd(Slot<T> slot, boolean invalidated) {
        slot.countLeaseEvent();
        long start = slot.holdStartNanos;
        long held = 0;
        if (start != 0) {
            held = System.nanoTime() - start;
            counters.holdTime.record(held);
            slot.holdStartNanos = 0;
        }
        if (events != null) {
            events.released(slot.object, held, invalidated);
        }
        if (leakDetection != null) {
            leakDetection.leaseEnded(slot);
        }
    }

    /** Shared leases: the last lease of an object ended; see {@link ReturnPath#resetAndRecycle}. */
    void resetAndRecycle(Slot<T> slot, CoreSubscriber<? super Void> done) {
        returns.resetAndRecycle(slot, done);
    }

    /** Puts an object back without touching its history: to the oldest waiter, else idle. */
    @Override
    public void returnUnused(Slot<T> slot) {
        returns.returnUnused(slot, null);
    }

    /** Offers an object nobody waits for to the idle store; the idle cap may destroy it instead. */
    @Override
    public void toIdle(Slot<T> slot, CoreSubscriber<? super Void> done) {
        boolean capped = idleCapped;
        if (capped) {
            for (;;) {
                int c = idleCount.get();
                if (c >= maxIdle) {
                    slot.destroyReason = DestroyReason.MAX_IDLE;
                    returns.evict(slot, done); // the idle cap: a spike must not leave idle objects behind
                    return;
                }
                if (idleCount.compareAndSet(c, c + 1)) {
                    break;
                }
            }
        }
        slot.idleCounted = capped;
        idle.offer(slot);
        // The offer above is a CAS (a full fence), so these reads cannot see stale values from
        // before it: a waiter or a close that started earlier is seen here, or sees the object.
        if (pendingCount.get() > 0 || closed != 0) {
            drain();
        }
        // Likewise an evictAll or a resize that swept the idle store before this offer is seen
        // here, and the sweep is done again (see "Operations on a running pool", CONCURRENCY.md).
        if (ops.isStale(slot) || (!capped && idleCapped) || ops.hasSurplus(total.get(), maxSize)) {
            ops.trimIdle();
        }
        ReturnPath.complete(done);
    }

    @Override
    public void destroy(Slot<T> slot, CoreSubscriber<? super Void> done) {
        returns.destroy(slot, done);
    }

    @Override
    public void permitFreed() {
        total.decrementAndGet();
    }

    /** CreationControl only: a permit whose object was not created was freed (see {@link ReturnPath#afterPermitFreed}). */
    @Override
    public void afterPermitFreed() {
        returns.afterPermitFreed();
    }

    // =====================================================================================
    // Idle eviction and the coarse clock, for Housekeeping
    // =====================================================================================

    /** The coarse clock (ms, timer scheduler), for shared leases' lifetime checks. */
    @Override
    public long coarseNow() {
        return coarseNowMillis;
    }

    /** Housekeeping only: advances the coarse clock. */
    @Override
    public void advanceCoarseClock(long nowMillis) {
        coarseNowMillis = nowMillis;
    }

    /** Puts back a slot that eviction took out but kept (its idle place stayed reserved). */
    @Override
    public void putBack(Slot<T> slot) {
        idle.offer(slot);
        if (pendingCount.get() > 0 || closed != 0) {
            drain();
        }
    }

    private long timerNow() {
        return timerScheduler.now(TimeUnit.MILLISECONDS);
    }

    /** The pool's clock in ns (so a virtual-time scheduler drives the skip-validation window). */
    @Override
    public long timerNanos() {
        return timerScheduler.now(TimeUnit.NANOSECONDS);
    }

    // =====================================================================================
    // Close
    // =====================================================================================

    @Override
    public Mono<Void> close() {
        return closing.close();
    }

    @Override
    public void checkCloseDone() {
        closing.checkDone();
    }

    @Override
    public void dispose() {
        closing.dispose();
    }

    /** Close only: sets the closed flag, once (see {@link PoolClose}). */
    @Override
    public boolean markClosed() {
        return CLOSED.compareAndSet(this, 0, 1);
    }

    @Override
    public boolean isDisposed() {
        return closed != 0;
    }

    // =====================================================================================
    // withLease, metrics, errors
    // =====================================================================================

    @Override
    public <R> Flux<R> withLease(Function<? super T, ? extends Publisher<R>> work) {
        return Flux.usingWhen(acquireMono, lease -> work.apply(lease.get()), Lease::release,
                (lease, error) -> lease.release(), Lease::release);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PoolMetrics metrics() {
        return status.metrics();
    }

    @Override
    public PoolClosedException closedException() {
        return status.closedException();
    }

    @Override
    public String toString() {
        return status.toString();
    }

    // =====================================================================================
    // Operations on a running pool: evictAll, resize, suspend/resume (state in Operations)
    // =====================================================================================

    /** Waiting acquirers, without the phantom waiter that {@link #suspend()} counts. */
    @Override
    public int waiting() {
        return Math.max(0, pendingCount.get() - (ops.isSuspended() ? 1 : 0));
    }

    @Override
    public boolean isSuspended() {
        return ops.isSuspended();
    }

    @Override
    public void evictAll() {
        ops.evictAll();
    }

    @Override
    public void resize(int maxSize) {
        ops.resize(ops.limitsFor(maxSize));
    }

    @Override
    public void resize(int maxSize, int maxIdle, int minIdle) {
        ops.resize(ops.limitsFor(maxSize, maxIdle, minIdle));
    }

    /** Operations only: the pool's copy of the latest limits (see {@link Operations#resize}). */
    @Override
    public void applyLimits(int maxSize, int maxIdle, int minIdle) {
        // The lower minIdle first, so that one copier never shows a minIdle above the maxIdle
        // beside it (each resize's own limits satisfy minIdle <= maxIdle, and so does the old set).
        creation.minIdle(Math.min(minIdle, creation.minIdle()));
        this.maxIdle = maxIdle;
        this.idleCapped = maxIdle < maxSize;
        this.maxSize = maxSize;
        creation.minIdle(minIdle);
    }

    /** The current minIdle (it may have been changed by a resize). */
    int minIdle() {
        return creation.minIdle();
    }

    @Override
    public void suspend() {
        ops.suspend();
    }

    @Override
    public void resume() {
        ops.resume();
    }

    // ---- what Operations needs (OperationsHost) ----

    @Override
    public int liveObjects() {
        return total.get();
    }

    @Override
    public int maxIdle() {
        return maxIdle;
    }

    @Override
    public boolean idleCapped() {
        return idleCapped;
    }

    @Override
    public int idlePlacesTaken() {
        return idleCount.get();
    }

    @Override
    public boolean takeIdlePlace() {
        for (;;) {
            int c = idleCount.get();
            if (c >= maxIdle) {
                return false;
            }
            if (idleCount.compareAndSet(c, c + 1)) {
                return true;
            }
        }
    }

    @Override
    public void giveBackIdlePlace() {
        idleCount.decrementAndGet();
    }

    @Override
    public void sweepIdle(Predicate<Slot<T>> mayLeave, Consumer<Slot<T>> leave) {
        idle.evict(mayLeave, leave, this::putBack);
    }

    @Override
    public void addPhantomWaiter() {
        pendingCount.incrementAndGet();
    }

    @Override
    public void removePhantomWaiter() {
        pendingCount.decrementAndGet();
    }

    @Override
    public void ensureMinIdle() {
        creation.ensureMinIdle();
    }
}
