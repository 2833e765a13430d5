package dev.reactivepool.internal;

import java.time.Duration;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * The pool's close: sets the closed flag once, stops what runs in the background (JMX
 * registration, housekeeping, creations waiting for their backoff), drains (which fails the
 * waiters and destroys idle objects), and completes when the last live object is destroyed or the
 * grace period ends. It owns {@link #done}, the signal of that completion; the closed flag itself
 * is the pool's, read on every hot path.
 *
 * <p>Every return path reads the closed flag after its own publishing step, and destroys rather
 * than returns once it is set; whoever frees the last permit after that calls
 * {@link #checkDone()}, so the close cannot miss the last destruction.
 *
 * @param <T> the type of the pooled objects
 */
final class PoolClose<T> {

    private final CloseHost pool;
    private final String name;
    private final Housekeeping<T> housekeeping;
    private final CreationControl<T> creation;
    /** The registered MXBean, or null without registerJmx. */
    private final PoolJmx jmx;
    private final Duration gracePeriod;
    private final Scheduler timerScheduler;
    /** Emitted once the pool is closed and no live object is left. */
    private final Sinks.Empty<Void> done = Sinks.empty();
    private final Mono<Void> closeMono = Mono.defer(this::start);

    PoolClose(CloseHost pool, PoolConfig<T> config, Housekeeping<T> housekeeping, CreationControl<T> creation,
              PoolJmx jmx) {
        this.pool = pool;
        this.name = config.name();
        this.housekeeping = housekeeping;
        this.creation = creation;
        this.jmx = jmx;
        this.gracePeriod = config.closeGracePeriod();
        this.timerScheduler = config.timerScheduler();
    }

    /** {@code Pool.close()}: closes on subscription; completes as described above. */
    Mono<Void> close() {
        return closeMono;
    }

    /** {@code Pool.dispose()}: closes without waiting; a failure is logged. */
    void dispose() {
        closeMono.subscribe(null, e -> DefaultPool.LOG.warn("Pool '" + name + "': close failed", e));
    }

    private Mono<Void> start() {
        if (pool.markClosed()) {
            if (jmx != null) {
                jmx.unregister();
            }
            housekeeping.stop();
            creation.poolClosed();
            pool.drain();
            checkDone();
        }
        if (gracePeriod.isZero()) {
            return Mono.empty();
        }
        return done.asMono().take(gracePeriod, timerScheduler);
    }

    /** Completes the close if it is under way and no live object is left. */
    void checkDone() {
        if (pool.isDisposed() && pool.liveObjects() == 0) {
            done.tryEmitEmpty();
        }
    }
}
