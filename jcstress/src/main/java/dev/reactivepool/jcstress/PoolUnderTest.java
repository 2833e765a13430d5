package dev.reactivepool.jcstress;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import dev.reactivepool.Lease;
import dev.reactivepool.Pool;
import dev.reactivepool.PoolBuilder;
import dev.reactivepool.PoolMetrics;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * One small pool per jcstress state, built through the public API, with its own accounting of
 * objects made and destroyed (never trusting the pool's view alone).
 *
 * <p>The pool's timer scheduler is a {@link VirtualTimeScheduler} owned by this state: timeouts
 * and eviction run only when a test advances it, so thousands of pools per second cost no
 * threads, and a race with a timer is a race with {@code advanceTimeBy} on an actor thread. The
 * allocator and destroyer complete synchronously, so every signal of a race has arrived by the
 * time the arbiter runs.
 */
final class PoolUnderTest {

    /** The pool's clock. */
    final VirtualTimeScheduler clock = VirtualTimeScheduler.create();

    /** Objects made by the allocator. */
    final AtomicInteger created = new AtomicInteger();

    /** Objects destroyed by the destroyer. */
    final AtomicInteger destroyed = new AtomicInteger();

    /** Destroyer calls for an object already destroyed. */
    final AtomicInteger destroyedTwice = new AtomicInteger();

    final Pool<Resource> pool;

    private final PoolMode mode;

    /** The first object made, kept so that a test can inspect it after its lease died. */
    private volatile Resource first;

    PoolUnderTest(UnaryOperator<PoolBuilder<Resource>> options) {
        this(PoolMode.PLAIN, options);
    }

    /** A pool in {@code mode}, whose settings {@code options} already include (see {@link PoolMode#pool}). */
    PoolUnderTest(PoolMode mode, UnaryOperator<PoolBuilder<Resource>> options) {
        this.mode = mode;
        PoolBuilder<Resource> builder = Pool.builder(Mono.fromSupplier(this::make))
                .destroyer(r -> Mono.fromRunnable(() -> {
                    if (r.destroyed.compareAndSet(false, true)) {
                        destroyed.incrementAndGet();
                    } else {
                        destroyedTwice.incrementAndGet();
                    }
                }))
                .timerScheduler(clock)
                // Long enough that no housekeeping runs unless a test advances the clock past it.
                .evictionInterval(Duration.ofHours(1))
                .closeGracePeriod(Duration.ofHours(1));
        pool = options.apply(builder).build();
    }

    private Resource make() {
        Resource r = new Resource(created.incrementAndGet());
        if (r.id == 1) {
            first = r;
        }
        return r;
    }

    /** @return the first object the pool made */
    Resource firstObject() {
        return first;
    }

    /**
     * Leases an object on the calling thread; the pool delivers synchronously when an object is
     * idle or can be made at once.
     */
    Lease<Resource> acquireNow() {
        LeaseCatcher catcher = new LeaseCatcher();
        pool.acquire().subscribe(catcher);
        if (catcher.lease == null) {
            throw new IllegalStateException("acquire was not synchronous: " + catcher.error);
        }
        return catcher.lease;
    }

    /** Makes one idle object. */
    PoolUnderTest withOneIdle() {
        acquireNow().release().subscribe();
        return this;
    }

    /**
     * The end state after every lease of the race was returned: what is idle, what the pool
     * counts as live, and what is lost, i.e. live by the allocator/destroyer accounting but
     * neither idle nor leased (must be 0). In {@link PoolMode#SHARED_LEASES}, the leases in use first.
     */
    String endState() {
        PoolMetrics m = pool.metrics();
        int live = created.get() - destroyed.get();
        int lost = live - m.idle() - m.leased();
        return (mode == PoolMode.SHARED_LEASES ? "leases=" + m.leases() + " " : "")
                + "leased=" + m.leased() + " idle=" + m.idle() + " pending=" + m.pending() + " total=" + m.total()
                + " lost=" + lost + (destroyedTwice.get() > 0 ? " DESTROYED-TWICE" : "");
    }

    /** Closes the pool and stops its clock; everything is returned, so the close completes at once. */
    void close() {
        pool.close().subscribe();
        clock.dispose();
    }
}
