package dev.reactivepool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.test.subscriber.TestSubscriber;

/**
 * A test's own allocator and destroyer, which count live objects independently of the pool, plus
 * a virtual clock and the pools to close after the test.
 *
 * <p>An object counts as live from the allocator's subscription (it is being created) until its
 * destroyer completes, which is exactly what the pool's {@code maxSize} bounds. Creation and
 * destruction can be held open ({@link #holdCreations()}, {@link #holdDestroys()}) to observe
 * the pool while they are in flight, and creation can be made to fail ({@link #failCreations}).
 */
final class PoolFixture implements AutoCloseable {

    /** A pooled test object: an id, and whether it was destroyed. */
    static final class Res {
        final int id;
        final AtomicBoolean destroyed = new AtomicBoolean();

        Res(int id) {
            this.id = id;
        }

        @Override
        public String toString() {
            return "Res#" + id;
        }
    }

    final VirtualTimeScheduler clock = VirtualTimeScheduler.create();

    final AtomicInteger allocatorSubscriptions = new AtomicInteger();
    final AtomicInteger created = new AtomicInteger();
    final AtomicInteger destroyed = new AtomicInteger();
    final AtomicInteger destroyCalls = new AtomicInteger();
    /** Destroyer calls for an object already destroyed: must stay zero. */
    final AtomicInteger doubleDestroys = new AtomicInteger();
    final List<Res> all = new CopyOnWriteArrayList<>();
    private final AtomicInteger creating = new AtomicInteger();
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger maxLiveOrCreating = new AtomicInteger();
    private final Queue<Sinks.Empty<Void>> creationGates = new ConcurrentLinkedQueue<>();
    private final Queue<Sinks.Empty<Void>> destroyGates = new ConcurrentLinkedQueue<>();
    private final List<Pool<?>> pools = new CopyOnWriteArrayList<>();
    private volatile boolean holdCreations;
    private volatile boolean holdDestroys;
    private volatile Throwable creationFailure;

    /** Allocator subscriptions wait for {@link #completeCreation()} from now on. */
    PoolFixture holdCreations() {
        holdCreations = true;
        return this;
    }

    /** Allocator subscriptions complete at once from now on (held ones stay held). */
    PoolFixture releaseCreations() {
        holdCreations = false;
        return this;
    }

    /** Destroyer subscriptions wait for {@link #completeDestroy()} from now on. */
    PoolFixture holdDestroys() {
        holdDestroys = true;
        return this;
    }

    /** Allocator subscriptions fail with {@code failure} from now on; null to succeed again. */
    PoolFixture failCreations(Throwable failure) {
        creationFailure = failure;
        return this;
    }

    /** A builder on this fixture's allocator and destroyer. */
    PoolBuilder<Res> builder() {
        return Pool.builder(allocator()).destroyer(destroyer()).name("test-pool");
    }

    /** A builder on this fixture's allocator and destroyer, with the virtual clock as timer scheduler. */
    PoolBuilder<Res> virtualTimeBuilder() {
        return builder().timerScheduler(clock);
    }

    /** Builds and registers the pool for closing after the test. */
    Pool<Res> build(PoolBuilder<Res> builder) {
        return track(builder.build());
    }

    <P extends Pool<?>> P track(P pool) {
        pools.add(pool);
        return pool;
    }

    Mono<Res> allocator() {
        return Mono.defer(() -> {
            allocatorSubscriptions.incrementAndGet();
            Throwable failure = creationFailure;
            if (failure != null) {
                return Mono.error(failure);
            }
            creating.incrementAndGet();
            recordMax();
            AtomicBoolean born = new AtomicBoolean();
            Mono<Res> birth = Mono.fromSupplier(() -> {
                born.set(true);
                Res res = new Res(created.incrementAndGet());
                all.add(res);
                live.incrementAndGet();
                creating.decrementAndGet();
                return res;
            });
            if (holdCreations) {
                Sinks.Empty<Void> gate = Sinks.empty();
                creationGates.add(gate);
                birth = gate.asMono().then(birth);
            }
            // a creation cancelled or failed before its object was born is no longer in flight
            return birth.doFinally(signal -> {
                if (!born.get()) {
                    creating.decrementAndGet();
                }
            });
        });
    }

    Function<Res, Publisher<Void>> destroyer() {
        return res -> Mono.defer(() -> {
            destroyCalls.incrementAndGet();
            Mono<Void> destroy = Mono.fromRunnable(() -> {
                if (res.destroyed.compareAndSet(false, true)) {
                    live.decrementAndGet();
                    destroyed.incrementAndGet();
                } else {
                    doubleDestroys.incrementAndGet();
                }
            });
            if (holdDestroys) {
                Sinks.Empty<Void> gate = Sinks.empty();
                destroyGates.add(gate);
                return gate.asMono().then(destroy);
            }
            return destroy;
        });
    }

    /** Lets the oldest held creation emit its object. */
    void completeCreation() {
        Sinks.Empty<Void> gate = creationGates.poll();
        assertThat(gate).as("a held creation").isNotNull();
        gate.tryEmitEmpty().orThrow();
    }

    /** Makes the oldest held creation fail. */
    void failCreation(Throwable failure) {
        Sinks.Empty<Void> gate = creationGates.poll();
        assertThat(gate).as("a held creation").isNotNull();
        gate.tryEmitError(failure).orThrow();
    }

    int heldCreations() {
        return creationGates.size();
    }

    /** Lets the oldest held destruction complete. */
    void completeDestroy() {
        Sinks.Empty<Void> gate = destroyGates.poll();
        assertThat(gate).as("a held destruction").isNotNull();
        gate.tryEmitEmpty().orThrow();
    }

    int heldDestroys() {
        return destroyGates.size();
    }

    /** Objects created and not yet destroyed, plus creations in flight. */
    int liveOrCreating() {
        return live.get() + creating.get();
    }

    int live() {
        return live.get();
    }

    /** The most objects that were ever live or being created at once. */
    int maxLiveOrCreating() {
        return maxLiveOrCreating.get();
    }

    private void recordMax() {
        int now = liveOrCreating();
        maxLiveOrCreating.accumulateAndGet(now, Math::max);
    }

    /** Advances the virtual clock. */
    void advance(Duration duration) {
        clock.advanceTimeBy(duration);
    }

    /** Subscribes and returns the value, which must have been emitted synchronously. */
    static <T> T now(Mono<T> mono) {
        TestSubscriber<T> subscriber = TestSubscriber.create();
        mono.subscribe(subscriber);
        assertThat(subscriber.isTerminated()).as("emitted synchronously on subscription").isTrue();
        if (subscriber.isTerminatedError()) {
            throw new AssertionError("expected a value, got an error", subscriber.getTerminalSignal().getThrowable());
        }
        List<T> values = subscriber.getReceivedOnNext();
        return values.isEmpty() ? null : values.get(0);
    }

    /** Subscribes to a lease's release and waits (at most 5 s) for it to complete. */
    static void release(Lease<?> lease) {
        lease.release().block(Duration.ofSeconds(5));
    }

    /** Subscribes without blocking and returns the subscriber to inspect later. */
    static <T> TestSubscriber<T> subscribe(Mono<T> mono) {
        TestSubscriber<T> subscriber = TestSubscriber.create();
        mono.subscribe(subscriber);
        return subscriber;
    }

    @Override
    public void close() {
        for (Pool<?> pool : pools) {
            pool.dispose();
        }
        clock.dispose();
    }
}
