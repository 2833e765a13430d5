package dev.reactivepool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.reactivepool.AcquireTimeoutException;
import dev.reactivepool.DestroyReason;
import dev.reactivepool.DroppedLeases;
import dev.reactivepool.Lease;
import dev.reactivepool.Pool;
import dev.reactivepool.PoolClosedException;
import dev.reactivepool.PoolExhaustedException;
import dev.reactivepool.PoolFigures;
import dev.reactivepool.PoolMetrics;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;
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
 * This class keeps the hot paths (the idle-hit acquire, release, the hand-off) and the fields they
 * read; the other jobs are parts it holds in final fields: {@link CreationControl},
 * {@link DrainLoop} (with {@link DeadlineQueue}), {@link Housekeeping} (with {@link Expiry}),
 * {@link LeakDetection}, {@link StepRunner} and {@link PoolCounters}. Borrowers and leases see
 * it through {@link BorrowerHost} and {@link LeaseHost}.
 *
 * @param <T> the type of the pooled objects
 */
public final class DefaultPool<T> implements Pool<T>, BorrowerHost<T> {

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
    private final int maxPending;
    /** Whether idle places are counted against maxIdle (maxIdle < maxSize); changed by resize. */
    private volatile boolean idleCapped;
    /** The idle-expiry rule, or null when no expiry option is set. */
    private final Expiry<T> expiry;
    private final long maxLifetimeMillis;
    private final long maxLifetimeJitterMillis;
    private final long maxUses;
    private final boolean validationSkippable;
    private final long skipValidationNanos;
    private final int holdSampling;
    private final long holdMask;
    private final Scheduler timerScheduler;
    private final Scheduler deliveryScheduler;
    /** Whether a validator is configured (read on the idle-hit path). */
    private final boolean validates;
    /** Whether a resetter is configured (read on the release path). */
    private final boolean resets;
    /** The user's validator, resetter and destroyer, each bounded by its timeout. */
    private final StepRunner<T> steps;

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
    /** The registered MXBean, or null without registerJmx. */
    private final PoolJmx jmx;

    // ---- state ----
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicInteger pendingCount = new AtomicInteger();
    /** Reserved idle places; maintained only when maxIdle < maxSize. */
    private final AtomicInteger idleCount = new AtomicInteger();
    /** The coarse clock: the timer scheduler's time in ms, advanced by housekeeping. */
    private volatile long coarseNowMillis;
    private volatile int closed;
    private final Sinks.Empty<Void> closeDone = Sinks.empty();
    /** The background task: coarse clock, eviction, leak scan, minIdle. */
    private final Housekeeping<T> housekeeping;
    private final Mono<Lease<T>> acquireMono;
    private final Mono<Void> closeMono;

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
        this.maxPending = config.maxPending();
        this.idleCapped = config.idleCapped();
        this.maxLifetimeMillis = config.maxLifetime().toMillis();
        this.maxLifetimeJitterMillis = config.maxLifetimeJitter().toMillis();
        this.expiry = Expiry.of(config);
        this.maxUses = config.maxUses();
        this.validates = config.validator() != null;
        this.validationSkippable = config.validationSkippable();
        this.skipValidationNanos = config.skipValidationWithin().toNanos();
        this.resets = config.resetter() != null;
        this.steps = new StepRunner<>(config);
        this.holdSampling = config.holdTimeSampling();
        this.lostLeaseDetection = config.lostLeaseDetection();
        this.events = ListenerDispatch.of(config);
        this.holdMask = Integer.bitCount(holdSampling) == 1 ? holdSampling - 1 : -1;
        this.timerScheduler = config.timerScheduler();
        this.deliveryScheduler = config.deliveryScheduler();
        this.ops = new Operations<>(this, config);
        this.idle = config.affinity() != dev.reactivepool.Affinity.NONE
                ? new AffinityIdleStore<>(name, config.maxSizeLimit(), config.affinity(), config.affinityExecutor())
                : config.idleOrder() == dev.reactivepool.IdleOrder.FIFO
                ? new FifoIdleStore<>(config.maxSizeLimit()) : new LifoIdleStore<>();
        this.creation = new CreationControl<>(this, config, counters);
        this.drainLoop = new DrainLoop<>(this, config, creation);
        this.leakDetection = LeakDetection.of(config, counters, events);
        this.shared = config.maxLeasesPerObject() > 1 ? new SharedLeases<>(this, config, counters, leakDetection) : null;
        this.host = shared != null ? shared : this;
        this.coarseNowMillis = timerNow();
        this.acquireMono = new AcquireMono<>(this, config.acquireTimeout(), true);
        this.closeMono = Mono.defer(this::startClose);
        this.housekeeping = new Housekeeping<>(this, config, creation, leakDetection, expiry);
        DroppedLeases.installHook(); // leases dropped by Reactor come back (see DroppedLeases)
        // Before the housekeeping starts: a refused registration (duplicate name) leaves nothing running.
        this.jmx = config.registerJmx() ? PoolJmx.register(this) : null;
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
                Borrower<T> borrower = new Borrower<>(host, actual, timeout, sharedDeadline, acquireSite(actual));
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
                    startTimer(borrower);
                }
                return;
            }
            if (shared != null && shared.joinNow(actual, timeout)) {
                return; // nothing idle: a share of the least-leased object with room
            }
        }
        Borrower<T> borrower = new Borrower<>(host, actual, timeout, sharedDeadline, acquireSite(actual));
        actual.onSubscribe(borrower);
        if (borrower.isDone()) {
            return;
        }
        if (!sharedDeadline) {
            borrower.startTimer();
        }
        if (pendingCount.get() == 0) {
            if (sharedDeadline) {
                drainLoop.watchDeadline(borrower); // armed before the creation starts, so it covers it
            }
            if (creation.start(borrower)) {
                return;
            }
            enqueue(borrower, false, false);
            return;
        }
        enqueue(borrower, false, sharedDeadline); // registers a shared-deadline borrower
    }

    /** Starts the acquire timeout of a borrower that does not go through the pending queue. */
    private void startTimer(Borrower<T> borrower) {
        if (borrower.sharedDeadline) {
            drainLoop.watchDeadline(borrower);
        } else {
            borrower.startTimer();
        }
    }

    /**
     * Puts a borrower in a waiting queue, or rejects it if the pending limit is reached.
     *
     * @param retry its object failed validation: served first, not bounded by maxPending
     * @param watchDeadline also put it under the shared deadline timer
     */
    private void enqueue(Borrower<T> borrower, boolean retry, boolean watchDeadline) {
        for (;;) {
            int p = pendingCount.get();
            if (!retry && p - (ops.isSuspended() ? 1 : 0) >= maxPending) { // minus suspend()'s phantom waiter
                // Counted only if the rejection ends the acquire (its timeout may have fired first).
                if (borrower.fail(new PoolExhaustedException(name, maxPending,
                        new PoolFigures(maxSize, leased(), idle.size(), p, creation.creating())))) {
                    counters.rejections.increment();
                }
                return;
            }
            if (pendingCount.compareAndSet(p, p + 1)) {
                break;
            }
        }
        if (!borrower.markWaiting()) {
            pendingCount.decrementAndGet(); // left (cancel/timeout) before it could wait
            return;
        }
        drainLoop.await(borrower, retry, watchDeadline);
    }

    /**
     * A borrower whose object failed validation tries again, ahead of the waiters that came after
     * it and not counted against maxPending. Called before the invalid object is destroyed, so
     * that the permit its destruction frees goes to this borrower first.
     */
    @Override
    public void retryAcquire(Borrower<T> borrower) {
        if (closed != 0) {
            borrower.fail(closedException());
            return;
        }
        if (pendingCount.get() == 0) {
            Slot<T> slot = takeIdle(true);
            if (slot != null) {
                if (!borrower.assign(slot)) {
                    returnUnused(slot);
                }
                return;
            }
            slot = joinShared();
            if (slot != null) {
                if (!borrower.assign(slot)) {
                    returnShare(slot);
                }
                return;
            }
            if (creation.start(borrower)) {
                return;
            }
        }
        enqueue(borrower, true, false); // already watched by its timer or the deadline queue
    }

    /** With maxLeasesPerObject > 1: a share of a shared object with room (see SharedLeases#leastLeasedWithRoom), else null. */
    Slot<T> joinShared() {
        return shared == null ? null : shared.leastLeasedWithRoom();
    }

    /** Whether the object was created before the last {@link #evictAll()}: it takes no new lease. */
    boolean isEvicted(Slot<T> slot) {
        return ops.isStale(slot);
    }

    /** Gives back a share that {@link #joinShared()} took and nobody used. */
    void returnShare(Slot<T> slot) {
        shared.returnUnused(slot);
    }

    @Override
    public PooledLease<T> newLease(Slot<T> slot, Throwable acquiredAt) {
        return new PooledLease<>(slot); // acquiredAt: the borrower sets Slot.acquiredAt itself
    }

    @Override
    public void pendingLeft() {
        pendingCount.decrementAndGet();
    }

    /**
     * Takes an idle object, destroying those found past their idle timeout or lifetime.
     *
     * @param fast the idle-hit path (may miss an offer in flight) rather than the drain loop
     */
    Slot<T> takeIdle(boolean fast) {
        for (;;) {
            Slot<T> slot = fast ? idle.pollFast() : idle.poll();
            if (slot == null) {
                return null;
            }
            if (slot.idleCounted) {
                idleCount.decrementAndGet();
            }
            if (ops.isStale(slot)) {
                destroyEvictedAll(slot, null); // created before an evictAll: never handed out again
                continue;
            }
            if (expiry != null && expiry.isExpired(slot, coarseNowMillis)) {
                if (events != null) {
                    slot.destroyReason = expiry.reason(slot, coarseNowMillis);
                }
                evict(slot, null);
                continue;
            }
            return slot;
        }
    }

    @Override
    public boolean needsValidation(Slot<T> slot) {
        if (!validates) {
            return false;
        }
        return !validationSkippable || timerNanos() - slot.releasedAtNanos >= skipValidationNanos;
    }

    @Override
    public void validate(Slot<T> slot, Borrower<T> borrower) {
        steps.validate(slot.object, borrower.subscriber(), new StepOutcome<Boolean>() {
            @Override
            public void succeeded(Boolean valid) {
                if (events != null && !Boolean.TRUE.equals(valid)) {
                    events.validationFailed(slot.object, null);
                }
                borrower.onValidated(slot, Boolean.TRUE.equals(valid));
            }

            @Override
            public void failed(Throwable error) {
                LOG.debug("Pool '{}': validation failed: {}", name, error.toString());
                if (events != null) {
                    events.validationFailed(slot.object, error);
                }
                borrower.onValidated(slot, false);
            }
        });
    }

    @Override
    public void destroyInvalid(Slot<T> slot) {
        counters.validationFailures.increment();
        slot.destroyReason = DestroyReason.VALIDATION_FAILED;
        destroy(slot);
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
     * Leak detection only (null when it is off, so the acquire paths allocate nothing for it):
     * where {@code actual} asked (see {@link LeakDetection#acquireSite}).
     */
    private Throwable acquireSite(CoreSubscriber<?> actual) {
        return leakDetection == null ? null : leakDetection.acquireSite(actual);
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
            lease.acquiredAtMillis = coarseNowMillis;
            if (holdSampling > 0 && (holdMask >= 0 ? (n & holdMask) == 0 : n % holdSampling == 0)) {
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
        counters.acquireTimeouts.increment();
        return timeoutException(timeout);
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
    void drain() {
        drainLoop.drain();
    }

    // =====================================================================================
    // Permits and new slots, for CreationControl
    // =====================================================================================

    /** Takes a permit for an object about to be created; false at maxSize. */
    boolean reservePermit() {
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
    void returnPermit() {
        total.decrementAndGet();
    }

    /** A new object's slot, its lifetime drawn with the configured jitter. */
    Slot<T> newSlot(T object, long nowMillis, int generation) {
        long lifetime = maxLifetimeMillis > 0
                ? maxLifetimeMillis - (maxLifetimeJitterMillis > 0
                        ? ThreadLocalRandom.current().nextLong(maxLifetimeJitterMillis + 1) : 0)
                : -1;
        Slot<T> slot = new Slot<>(host, object, nowMillis, lifetime > 0 ? nowMillis + lifetime : Long.MAX_VALUE,
                generation);
        if (validationSkippable) {
            slot.releasedAtNanos = timerNanos();
        }
        counters.register(slot);
        if (leakDetection != null) {
            leakDetection.register(slot);
        }
        return slot;
    }

    boolean hasWaiters() {
        return pendingCount.get() > 0;
    }

    int idleSize() {
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
            recycle(slot, done);
            return;
        }
        steps.reset(slot.object, done, new StepOutcome<Void>() {
            @Override
            public void succeeded(Void nothing) {
                recycle(slot, done);
            }

            @Override
            public void failed(Throwable error) {
                counters.resetFailures.increment();
                LOG.debug("Pool '{}': reset failed, destroying the object: {}", name, error.toString());
                if (events != null) {
                    events.resetFailed(slot.object, error);
                }
                slot.destroyReason = DestroyReason.RESET_FAILED;
                destroy(slot, done);
            }
        });
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

    /**
     * Shared leases: the last lease of an object ended (its own bookkeeping is done): reset (if
     * configured), then return or destroy the object, as {@link #release} does.
     */
    void resetAndRecycle(Slot<T> slot, CoreSubscriber<? super Void> done) {
        if (!resets || closed != 0) {
            recycle(slot, done);
            return;
        }
        steps.reset(slot.object, done, new StepOutcome<Void>() {
            @Override
            public void succeeded(Void nothing) {
                recycle(slot, done);
            }

            @Override
            public void failed(Throwable error) {
                counters.resetFailures.increment();
                LOG.debug("Pool '{}': reset failed, destroying the object: {}", name, error.toString());
                destroy(slot, done);
            }
        });
    }

    /** A used object comes back: destroyed if closed or worn out, otherwise returned. */
    private void recycle(Slot<T> slot, CoreSubscriber<? super Void> done) {
        if (closed != 0) {
            destroy(slot, done);
            return;
        }
        long now = coarseNowMillis;
        if (slot.timesAcquired >= maxUses || (maxLifetimeMillis > 0 && now >= slot.expiresAtMillis)) {
            slot.destroyReason = slot.timesAcquired >= maxUses ? DestroyReason.MAX_USES : DestroyReason.LIFETIME;
            evict(slot, done);
            return;
        }
        slot.idleSinceMillis = now;
        if (validationSkippable) {
            slot.releasedAtNanos = timerNanos();
        }
        returnUnused(slot, done);
    }

    /** Puts an object back without touching its history: to the oldest waiter, else idle. */
    @Override
    public void returnUnused(Slot<T> slot) {
        returnUnused(slot, null);
    }

    /**
     * Puts an object back: to the oldest waiter, else idle (or destroyed by the idle cap or a
     * close), then completes {@code done} if not null.
     */
    private void returnUnused(Slot<T> slot, CoreSubscriber<? super Void> done) {
        if (closed != 0) {
            destroy(slot, done);
            return;
        }
        if (retire(slot, done)) {
            return;
        }
        if (pendingCount.get() > 0) {
            drainLoop.handOff(slot);
            complete(done);
            return;
        }
        toIdle(slot, done);
    }

    void toIdle(Slot<T> slot, CoreSubscriber<? super Void> done) {
        boolean capped = idleCapped;
        if (capped) {
            for (;;) {
                int c = idleCount.get();
                if (c >= maxIdle) {
                    slot.destroyReason = DestroyReason.MAX_IDLE;
                    evict(slot, done); // the idle cap: a spike must not leave idle objects behind
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
            trimIdle();
        }
        complete(done);
    }

    private static void complete(CoreSubscriber<? super Void> done) {
        if (done != null) {
            done.onComplete();
        }
    }

    private void evict(Slot<T> slot, CoreSubscriber<? super Void> done) {
        counters.evicted.increment();
        destroy(slot, done);
    }

    void destroy(Slot<T> slot) {
        destroy(slot, null);
    }

    /** Destroys the object; frees its permit and completes {@code done} when the destroyer ends. */
    void destroy(Slot<T> slot, CoreSubscriber<? super Void> done) {
        steps.destroy(slot.object, new StepOutcome<Void>() {
            @Override
            public void succeeded(Void nothing) {
                onDestroyed(slot, null);
                complete(done);
            }

            @Override
            public void failed(Throwable error) {
                onDestroyed(slot, error);
                complete(done);
            }
        });
    }

    private void onDestroyed(Slot<T> slot, Throwable error) {
        if (error != null) {
            counters.destroyFailures.increment();
            LOG.debug("Pool '{}': destroying an object failed: {}", name, error.toString());
        }
        counters.destroyed.increment();
        counters.unregister(slot);
        if (leakDetection != null) {
            leakDetection.unregister(slot);
        }
        if (events != null) { // before the permit is freed: close completes after every destroyed event
            DestroyReason reason = slot.destroyReason;
            events.destroyed(slot.object, reason != null ? reason : DestroyReason.CLOSED,
                    timerNow() - slot.createdAtMillis, slot.timesAcquired, error);
        }
        total.decrementAndGet(); // the permit is freed only now that the object is gone
        if (slot.retired) {
            ops.retirementEnded(); // after the decrement: the surplus is never under-counted
        }
        afterPermitFreed();
    }

    void afterPermitFreed() {
        if (closed != 0) {
            checkCloseDone();
            return;
        }
        if (pendingCount.get() > 0) {
            drain();
        } else {
            creation.ensureMinIdle();
        }
    }

    // =====================================================================================
    // Idle eviction and the coarse clock, for Housekeeping
    // =====================================================================================

    /** The coarse clock (ms, timer scheduler), for shared leases' lifetime checks. */
    long coarseNow() {
        return coarseNowMillis;
    }

    /** Housekeeping only: advances the coarse clock. */
    void advanceCoarseClock(long nowMillis) {
        coarseNowMillis = nowMillis;
    }

    /** Housekeeping only: evicts the idle objects that {@code expired} matches. */
    void evictIdle(Predicate<Slot<T>> expired) {
        idle.evict(expired, slot -> {
            if (slot.idleCounted) {
                idleCount.decrementAndGet();
            }
            if (events != null && expiry != null && slot.destroyReason == null) {
                slot.destroyReason = expiry.reason(slot, coarseNowMillis);
            }
            evict(slot, null);
        }, this::putBack);
    }

    /** Puts back a slot that eviction took out but kept (its idle place stayed reserved). */
    private void putBack(Slot<T> slot) {
        idle.offer(slot);
        if (pendingCount.get() > 0 || closed != 0) {
            drain();
        }
    }

    private long timerNow() {
        return timerScheduler.now(TimeUnit.MILLISECONDS);
    }

    /** The pool's clock in ns (so a virtual-time scheduler drives the skip-validation window). */
    long timerNanos() {
        return timerScheduler.now(TimeUnit.NANOSECONDS);
    }

    // =====================================================================================
    // Close
    // =====================================================================================

    @Override
    public Mono<Void> close() {
        return closeMono;
    }

    private Mono<Void> startClose() {
        if (CLOSED.compareAndSet(this, 0, 1)) {
            if (jmx != null) {
                jmx.unregister();
            }
            housekeeping.stop();
            creation.poolClosed();
            drain();
            checkCloseDone();
        }
        Duration grace = config.closeGracePeriod();
        if (grace.isZero()) {
            return Mono.empty();
        }
        return closeDone.asMono().take(grace, timerScheduler);
    }

    void checkCloseDone() {
        if (closed != 0 && total.get() == 0) {
            closeDone.tryEmitEmpty();
        }
    }

    @Override
    public void dispose() {
        close().subscribe(null, e -> LOG.warn("Pool '" + name + "': close failed", e));
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

    private int leased() {
        return counters.leased();
    }

    @Override
    public PoolMetrics metrics() {
        return counters.snapshot(name, maxSize, maxIdle, idle.size(), waiting(), creation.creating(), total.get(),
                shared == null ? -1 : shared.objectsLeased());
    }

    @Override
    public PoolClosedException closedException() {
        return new PoolClosedException(name, figures());
    }

    private AcquireTimeoutException timeoutException(Duration timeout) {
        return new AcquireTimeoutException(name, timeout, figures(), creation.currentFailure());
    }

    private PoolFigures figures() {
        return new PoolFigures(maxSize, leased(), idle.size(), waiting(), creation.creating());
    }

    @Override
    public String toString() {
        return "Pool[" + name + ", maxSize=" + maxSize + ", total=" + total.get() + ", idle=" + idle.size()
                + ", leased=" + leased() + ", pending=" + waiting() + "]";
    }

    // =====================================================================================
    // Operations on a running pool: evictAll, resize, suspend/resume (state in Operations)
    // =====================================================================================

    /** Waiting acquirers, without the phantom waiter that {@link #suspend()} counts. */
    private int waiting() {
        return Math.max(0, pendingCount.get() - (ops.isSuspended() ? 1 : 0));
    }

    /** The generation a creation starting now gets (see {@link Slot#generation}). */
    int generation() {
        return ops.generation();
    }

    @Override
    public boolean isSuspended() {
        return ops.isSuspended();
    }

    @Override
    public void evictAll() {
        ops.newGeneration();
        trimIdle(); // idle objects now; leased ones when they come back (retire)
    }

    @Override
    public void resize(int maxSize) {
        resized(ops.limitsFor(maxSize));
    }

    @Override
    public void resize(int maxSize, int maxIdle, int minIdle) {
        resized(ops.limitsFor(maxSize, maxIdle, minIdle));
    }

    private void resized(Operations.Limits limits) {
        ops.apply(limits);
        trimIdle(); // idle surplus now; leased surplus when it comes back (retire)
        if (pendingCount.get() > 0) {
            drain(); // growing: waiters get new objects at once
        } else {
            creation.ensureMinIdle();
        }
    }

    /** Operations only: the pool's copy of the latest limits (see {@link Operations#apply}). */
    void applyLimits(int maxSize, int maxIdle, int minIdle) {
        this.maxIdle = maxIdle;
        this.idleCapped = maxIdle < maxSize;
        this.maxSize = maxSize;
        creation.minIdle(minIdle);
    }

    /** The current minIdle (it may have been changed by a resize). */
    int minIdle() {
        return creation.minIdle();
    }

    /**
     * Suspends acquisition: a phantom waiter in {@link #pendingCount} sends every acquire down the
     * slow path (no idle hit, no direct creation) and every release through the drain loop, which
     * serves nobody and creates nothing while suspended; the minIdle refill skips pools with
     * waiters. The idle-hit path thus pays nothing for suspension.
     */
    @Override
    public void suspend() {
        pendingCount.incrementAndGet(); // before the flag: once the flag is seen, so is the phantom
        if (!ops.suspend()) {
            pendingCount.decrementAndGet(); // already suspended
        }
    }

    @Override
    public void resume() {
        if (ops.resume()) {
            pendingCount.decrementAndGet();
            drain(); // serves the waiters in FIFO order and creates for them
            if (pendingCount.get() == 0) {
                creation.ensureMinIdle();
            }
        }
    }

    /**
     * Whether a returning object must be destroyed instead of reused: created before an evictAll,
     * or surplus after a resize down. Destroys it (completing {@code done}) if so.
     */
    private boolean retire(Slot<T> slot, CoreSubscriber<? super Void> done) {
        if (ops.isStale(slot)) {
            destroyEvictedAll(slot, done);
            return true;
        }
        if (total.get() > maxSize && ops.reserveRetirement(total, maxSize)) {
            slot.retired = true;
            destroyResized(slot, done);
            return true;
        }
        return false;
    }

    /** DrainLoop only: a slot from the hand-off queue; true if it was destroyed (see {@link #retire}). */
    boolean retireHandedOff(Slot<T> slot) {
        return retire(slot, null);
    }

    /** DrainLoop only: a released slot nobody waits for goes idle, unless it must be retired. */
    void toIdleOrRetire(Slot<T> slot) {
        if (!retire(slot, null)) {
            toIdle(slot, null);
        }
    }

    /**
     * Destroys the idle objects that an evictAll or a resize left behind: those created before
     * the last evictAll, those above maxSize, those above maxIdle. Safe to run concurrently with
     * acquires, releases, housekeeping and itself: each slot is decided by whoever took it out.
     */
    void trimIdle() {
        idle.evict(this::mayLeaveIdle, this::leaveIdle, this::putBack);
    }

    /** A first look, without owning the slot: could it have to leave the idle store? */
    private boolean mayLeaveIdle(Slot<T> slot) {
        return ops.isStale(slot)
                || ops.hasSurplus(total.get(), maxSize)
                || (idleCapped && (!slot.idleCounted || idleCount.get() > maxIdle));
    }

    /** The slot is out of the idle store and ours: destroy it, or put it back under the idle cap. */
    private void leaveIdle(Slot<T> slot) {
        if (slot.idleCounted) {
            slot.idleCounted = false;
            idleCount.decrementAndGet();
        }
        if (retire(slot, null)) {
            return;
        }
        if (idleCapped) {
            for (;;) {
                int c = idleCount.get();
                if (c >= maxIdle) {
                    destroyResized(slot, null); // above the new maxIdle
                    return;
                }
                if (idleCount.compareAndSet(c, c + 1)) {
                    break;
                }
            }
            slot.idleCounted = true;
        }
        putBack(slot);
    }

    /** Destroys an object because of {@link #evictAll()} (destroy reason EVICT_ALL). */
    private void destroyEvictedAll(Slot<T> slot, CoreSubscriber<? super Void> done) {
        counters.evicted.increment();
        slot.destroyReason = DestroyReason.EVICT_ALL;
        destroy(slot, done);
    }

    /** Destroys an object because a resize made it surplus (destroy reason RESIZE). */
    private void destroyResized(Slot<T> slot, CoreSubscriber<? super Void> done) {
        counters.evicted.increment();
        slot.destroyReason = DestroyReason.RESIZE;
        destroy(slot, done);
    }

    /** JMX only: the pool's MXBean registration, or null. */
    PoolJmx jmx() {
        return jmx;
    }
}
