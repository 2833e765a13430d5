package dev.reactivepool.internal;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.reactivepool.PoolClosedException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Creation of new objects: when to start one (a permit, and while creation fails only one attempt
 * in flight, the probe, delayed by a jittered exponential backoff), the minIdle refill and
 * warm-up, and the bookkeeping of each creation's outcome. It owns the counts of creations in
 * flight ({@link #creating}) and of those meant for the idle set ({@link #refilling}), the failure
 * streak and the outage log; the permit itself ({@code total}) is the pool's, shared with
 * destruction.
 *
 * @param <T> the type of the pooled objects
 */
final class CreationControl<T> implements CreationListener<T> {

    private final CreationHost<T> pool;
    /** Suspension, and the generation a creation starting now gets. */
    private final Operations<T> ops;
    /** The host new slots point to: the pool, or the shared leases with maxLeasesPerObject > 1. */
    private final LeaseHost<T> slotHost;
    /** Null when leak detection is off. */
    private final LeakDetection<T> leakDetection;
    /** Null when no listener is registered. */
    private final ListenerDispatch<T> events;
    private final PoolConfig<T> config;
    private final String name;
    /** Changed at runtime by {@link Operations} (resize). */
    private volatile int minIdle;
    private final Scheduler timerScheduler;
    private final PoolCounters counters;
    private final long maxLifetimeMillis;
    private final long maxLifetimeJitterMillis;
    private final boolean validationSkippable;

    private final AtomicInteger creating = new AtomicInteger();
    /** Creations meant for the idle set (minIdle refill, warm-up), reserved before they start. */
    private final AtomicInteger refilling = new AtomicInteger();
    private final AtomicInteger failureStreak = new AtomicInteger();
    private final AtomicBoolean probeInFlight = new AtomicBoolean();
    private volatile long nextCreationAllowedMillis;
    private volatile Throwable lastCreationError;
    /** One WARN when creation starts failing, one INFO when it works again. */
    private final CreationOutageLog outageLog;
    /** Creations in flight (at most maxSize), so that close can fail their acquirers and stop backoff waits. */
    private final Queue<Creation<T>> creations = new ConcurrentLinkedQueue<>();

    CreationControl(CreationHost<T> pool, PoolConfig<T> config, PoolCounters counters, Operations<T> ops,
                    LeaseHost<T> slotHost, LeakDetection<T> leakDetection, ListenerDispatch<T> events) {
        this.pool = pool;
        this.ops = ops;
        this.slotHost = slotHost;
        this.leakDetection = leakDetection;
        this.events = events;
        this.maxLifetimeMillis = config.maxLifetime().toMillis();
        this.maxLifetimeJitterMillis = config.maxLifetimeJitter().toMillis();
        this.validationSkippable = config.validationSkippable();
        this.config = config;
        this.name = config.name();
        this.minIdle = config.minIdle();
        this.timerScheduler = config.timerScheduler();
        this.counters = counters;
        this.outageLog = new CreationOutageLog(DefaultPool.LOG, name);
    }

    /** Resize: the new minIdle, already checked against maxIdle. */
    void minIdle(int minIdle) {
        this.minIdle = minIdle;
    }

    /** The current minIdle. */
    int minIdle() {
        return minIdle;
    }

    /** Creations in flight. */
    int creating() {
        return creating.get();
    }

    /** The last creation error while creation is failing, else null. */
    Throwable currentFailure() {
        return failureStreak.get() > 0 ? lastCreationError : null;
    }

    /**
     * Starts creating an object for {@code borrower} (or for the idle set if null). While creation
     * is failing only one attempt (the probe) is in flight, delayed by the backoff.
     *
     * @return true if a creation started or the borrower turned out to have left; false if no
     *         creation is possible now (no permit, or a probe already in flight)
     */
    boolean start(Borrower<T> borrower) {
        if (pool.isDisposed() || ops.isSuspended()) {
            return false; // suspended: nothing new is created; the borrower waits for resume()
        }
        boolean probe = failureStreak.get() > 0;
        if (probe && !probeInFlight.compareAndSet(false, true)) {
            return false;
        }
        if (!pool.reservePermit()) {
            if (probe) {
                probeInFlight.set(false);
            }
            return false;
        }
        if (borrower != null && !borrower.claimForCreation()) {
            pool.returnPermit();
            if (probe) {
                probeInFlight.set(false);
            }
            return true;
        }
        creating.incrementAndGet();
        long delay = probe ? nextCreationAllowedMillis - timerNow() : 0;
        Creation<T> creation = new Creation<>(this, borrower, probe, borrower == null, delay > 0, null,
                ops.generation());
        creations.offer(creation);
        Mono<? extends T> source = delay > 0
                ? Mono.delay(Duration.ofMillis(delay), timerScheduler)
                        .then(Mono.defer(() -> creation.startAfterBackoff() ? allocate() : Mono.empty()))
                : allocate();
        source.subscribe(creation);
        if (pool.isDisposed()) {
            creation.onPoolClosed(); // close started while this creation was being set up
        }
        return true;
    }

    /** One subscription to the allocator, bounded by createTimeout with an error that says so. */
    private Mono<T> allocate() {
        Duration timeout = config.createTimeout();
        return Mono.<T>from(config.allocator())
                .timeout(timeout, Mono.error(() -> new TimeoutException("Pool '" + name
                        + "': the allocator did not emit an object within " + timeout.toMillis()
                        + " ms (createTimeout)")), timerScheduler);
    }

    @Override
    public void created(Creation<T> creation, T object) {
        counters.created.increment();
        boolean wasFailing = failureStreak.getAndSet(0) > 0;
        lastCreationError = null;
        ended(creation); // after the streak reset: a probe that follows sees the backend as healthy
        long now = timerNow();
        outageLog.succeeded(now);
        if (events != null) { // before the object is handed to anyone: "created" comes first in its life
            Borrower<T> b = creation.borrower;
            events.created(object, creation.elapsedNanos(), b != null && !b.isDone() ? b.waitTrace() : null);
        }
        Slot<T> slot = newSlot(object, now, creation.generation);
        Borrower<T> borrower = creation.borrower;
        if (borrower == null || !borrower.onCreated(slot)) {
            pool.returnUnused(slot);
        }
        if (wasFailing && pool.hasWaiters()) {
            pool.drain(); // the backend is back: let the other waiters create too
        }
    }

    /**
     * A creation waiting for its backoff was stopped by close: nothing was created, the permit is
     * freed and its acquirer fails with PoolClosedException.
     */
    @Override
    public void aborted(Creation<T> creation) {
        ended(creation);
        pool.returnPermit();
        if (creation.borrower != null) {
            creation.borrower.fail(pool.closedException());
        }
        pool.checkCloseDone();
    }

    @Override
    public void failed(Creation<T> creation, Throwable error) {
        counters.creationFailures.increment();
        lastCreationError = error;
        int streak = failureStreak.incrementAndGet();
        long now = timerNow();
        nextCreationAllowedMillis = now + backoffMillis(streak);
        outageLog.failed(now, error);
        if (events != null) {
            events.creationFailed(error, creation.elapsedNanos());
        }
        ended(creation); // after the backoff is set: the next probe waits for it
        pool.returnPermit();
        if (creation.borrower != null) {
            creation.borrower.onCreationFailed(error);
        }
        pool.afterPermitFreed();
    }

    /** A new object's slot, its lifetime drawn with the configured jitter. */
    private Slot<T> newSlot(T object, long nowMillis, int generation) {
        long lifetime = maxLifetimeMillis > 0
                ? maxLifetimeMillis - (maxLifetimeJitterMillis > 0
                        ? ThreadLocalRandom.current().nextLong(maxLifetimeJitterMillis + 1) : 0)
                : -1;
        Slot<T> slot = new Slot<>(slotHost, object, nowMillis, lifetime > 0 ? nowMillis + lifetime : Long.MAX_VALUE,
                generation);
        if (validationSkippable) {
            // The timer scheduler's clock, so that a virtual-time scheduler drives the skip window.
            slot.releasedAtNanos = timerScheduler.now(TimeUnit.NANOSECONDS);
        }
        counters.register(slot);
        if (leakDetection != null) {
            leakDetection.register(slot);
        }
        return slot;
    }

    /** The clean-up common to every outcome: the creation is no longer in flight. */
    private void ended(Creation<T> creation) {
        creations.remove(creation);
        creating.decrementAndGet();
        if (creation.refill) {
            refilling.decrementAndGet();
        }
        if (creation.probe) {
            probeInFlight.set(false);
        }
    }

    @Override
    public String poolName() {
        return name;
    }

    @Override
    public PoolClosedException closedException() {
        return pool.closedException();
    }

    private long backoffMillis(int streak) {
        long initial = config.backoffInitial().toMillis();
        long max = config.backoffMax().toMillis();
        long base = streak >= 31 ? max : Math.min(max, initial << Math.min(30, streak - 1));
        double jitter = 0.75 + 0.5 * ThreadLocalRandom.current().nextDouble();
        return Math.max(1, Math.min(max, (long) (base * jitter)));
    }

    /**
     * minIdle, but never above the current maxIdle. Concurrent resizes copy their limits into the
     * pool field by field, so a reader may see one resize's minIdle beside another's smaller
     * maxIdle; refilling to such a minIdle would create objects the idle cap destroys at once, and
     * with a synchronous allocator and destroyer each destruction would start the next refill on
     * the same stack. Reading maxIdle on every round ends that: an object made for the target
     * fits under the cap the round read.
     */
    private int refillTarget() {
        return Math.min(minIdle, pool.maxIdle());
    }

    /**
     * Objects the refill still has to make, with {@code underWay} already being made: up to
     * {@link #refillTarget()} by the idle store's size, and never more than the idle places left
     * under the cap. The cap also counts an idle object out of the store for a moment (the
     * housekeeping sweep's rotation, an acquirer between its poll and giving back its place),
     * which the store's size does not: an object made for that gap would be destroyed by the cap
     * at once, and with a synchronous allocator and destroyer its freed permit would start the
     * next refill on the same stack, again and again.
     */
    private int missingIdle(int underWay) {
        int missing = refillTarget() - pool.idleSize() - underWay;
        if (pool.idleCapped()) {
            missing = Math.min(missing, pool.maxIdle() - pool.idlePlacesTaken() - underWay);
        }
        return missing;
    }

    /** Keeps minIdle objects idle, unless acquirers are waiting (the drain creates for them). */
    void ensureMinIdle() {
        while (!pool.isDisposed() && !pool.hasWaiters()) {
            int r = refilling.get();
            if (missingIdle(r) <= 0) {
                return;
            }
            if (!refilling.compareAndSet(r, r + 1)) {
                continue;
            }
            if (!start(null)) {
                refilling.decrementAndGet();
                return;
            }
        }
    }

    /** See {@link dev.reactivepool.Pool#warmup()}. */
    Mono<Integer> warmup() {
        return Mono.create(sink -> {
            // Reserve the missing places in `refilling` first, so that the background refill and
            // a concurrent warmup see these creations and do not duplicate them.
            int missing;
            for (;;) {
                int r = refilling.get();
                missing = missingIdle(r);
                if (missing <= 0 || pool.isDisposed() || ops.isSuspended()) {
                    sink.success(0);
                    return;
                }
                if (refilling.compareAndSet(r, r + missing)) {
                    break;
                }
            }
            WarmupProgress progress = new WarmupProgress(missing, sink);
            for (int i = 0; i < missing; i++) {
                if (pool.isDisposed() || !pool.reservePermit()) {
                    refilling.decrementAndGet();
                    progress.skipped();
                    continue;
                }
                // Explicitly asked for: no backoff. Not cancellable by the warmup's subscriber.
                creating.incrementAndGet();
                Creation<T> creation = new Creation<>(this, null, false, true, false, progress, ops.generation());
                creations.offer(creation);
                allocate().subscribe(creation);
            }
        });
    }

    /** The pool closed: every creation in flight fails its acquirer; those in backoff stop. */
    void poolClosed() {
        for (Creation<T> creation : creations) {
            creation.onPoolClosed();
        }
    }

    private long timerNow() {
        return timerScheduler.now(TimeUnit.MILLISECONDS);
    }
}
