package dev.reactivepool.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.reactivepool.AcquireTimeoutException;
import dev.reactivepool.Lease;
import dev.reactivepool.Pool;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.test.subscriber.TestSubscriber;
import reactor.util.context.Context;

/**
 * Micrometer Observation of waiting acquires: one observation per acquire that waits, child of
 * the acquirer's observation found in its Reactor context, with the pool and the outcome as
 * low-cardinality keys; none for an idle hit.
 */
class PoolObservationTest {

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final TestObservationRegistry registry = TestObservationRegistry.create();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private Pool<Integer> pool;

    @AfterEach
    void close() {
        if (pool != null) {
            pool.dispose();
        }
        clock.dispose();
    }

    private Pool<Integer> pool(int maxSize, ObservationRegistry observations) {
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onEvent(Observation.Event event, Observation.Context context) {
                events.add(context.getName() + ":" + event.getName());
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        pool = Pool.builder(Mono.fromCallable(ids::incrementAndGet)).name("obs-pool").maxSize(maxSize)
                .acquireTimeout(Duration.ofSeconds(5)).timerScheduler(clock)
                .listener(PoolObservation.listener(observations)).build();
        return pool;
    }

    private static Lease<Integer> take(Mono<Lease<Integer>> acquire) {
        TestSubscriber<Lease<Integer>> subscriber = TestSubscriber.create();
        acquire.subscribe(subscriber);
        assertThat(subscriber.getReceivedOnNext()).as("leased at once").hasSize(1);
        return subscriber.getReceivedOnNext().get(0);
    }

    @Test
    void aWaitingAcquireIsAChildOfTheAcquirersObservation() {
        pool(1, registry);
        Lease<Integer> holder = take(pool.acquire());
        Observation parent = Observation.start("request", registry);
        TestSubscriber<Lease<Integer>> waiter = TestSubscriber.create();
        pool.acquire().contextWrite(Context.of(PoolObservation.REACTOR_CONTEXT_KEY, parent)).subscribe(waiter);

        holder.release().block(Duration.ofSeconds(5));
        parent.stop();

        assertThat(waiter.getReceivedOnNext()).hasSize(1);
        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo(PoolObservation.ACQUIRE_WAIT, 2)
                .forAllObservationsWithNameEqualTo(PoolObservation.ACQUIRE_WAIT, o -> o
                        .hasLowCardinalityKeyValue("pool", "obs-pool")
                        .hasLowCardinalityKeyValue("outcome", "acquired")
                        .doesNotHaveError())
                .hasAnObservation(o -> o.hasNameEqualTo(PoolObservation.ACQUIRE_WAIT)
                        .hasParentObservationEqualTo(parent));
        TestObservationRegistryAssert.assertThat(registry).hasObservationWithNameEqualTo(PoolObservation.ACQUIRE_WAIT)
                .that().hasBeenStarted().hasBeenStopped();
        assertThat(events).as("the first acquire waited for its object to be created")
                .containsExactly(PoolObservation.ACQUIRE_WAIT + ":" + PoolObservation.CREATED_EVENT);
    }

    @Test
    void theKeyIsMicrometersReactorContextKey() {
        assertThat(PoolObservation.REACTOR_CONTEXT_KEY)
                .isEqualTo(io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor.KEY);
    }

    @Test
    void anIdleHitCreatesNoObservation() {
        pool(1, registry);
        take(pool.acquire()).release().block(Duration.ofSeconds(5));
        registry.clear();

        take(pool.acquire()).release().block(Duration.ofSeconds(5));

        TestObservationRegistryAssert.assertThat(registry).doesNotHaveAnyObservation();
    }

    @Test
    void timeoutAndCancellationAreOutcomes() {
        pool(1, registry);
        take(pool.acquire());
        registry.clear();
        TestSubscriber<Lease<Integer>> cancels = TestSubscriber.create();
        pool.acquire().subscribe(cancels);
        cancels.cancel();
        TestSubscriber<Lease<Integer>> timesOut = TestSubscriber.create();
        pool.acquire().subscribe(timesOut);

        clock.advanceTimeBy(Duration.ofSeconds(6));

        assertThat(timesOut.expectTerminalError()).isInstanceOf(AcquireTimeoutException.class);
        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo(PoolObservation.ACQUIRE_WAIT, 2)
                .hasAnObservation(o -> o.hasLowCardinalityKeyValue("outcome", "cancelled").doesNotHaveError())
                .hasAnObservation(o -> o.hasLowCardinalityKeyValue("outcome", "timeout")
                        .hasError(timesOut.expectTerminalError()));
    }

    @Test
    void aNoopRegistryCreatesNothing() {
        pool(1, ObservationRegistry.NOOP);
        Lease<Integer> holder = take(pool.acquire());
        TestSubscriber<Lease<Integer>> waiter = TestSubscriber.create();
        pool.acquire().subscribe(waiter);
        holder.release().block(Duration.ofSeconds(5));

        assertThat(waiter.getReceivedOnNext()).hasSize(1);
        TestObservationRegistryAssert.assertThat(registry).doesNotHaveAnyObservation();
    }

    @Test
    void withAMeterHandlerTheWaitTimerDoesNotCollideWithTheBindersAcquireTimer() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        pool(1, observations);
        new PoolMeterBinder(pool).bindTo(meters);
        Lease<Integer> holder = take(pool.acquire());
        TestSubscriber<Lease<Integer>> waiter = TestSubscriber.create();
        pool.acquire().subscribe(waiter);
        holder.release().block(Duration.ofSeconds(5));

        assertThat(meters.get(PoolObservation.ACQUIRE_WAIT).tag("pool", "obs-pool").tag("outcome", "acquired")
                .timer().count()).isEqualTo(2);
        assertThat(meters.get("reactivepool.acquire").tag("pool", "obs-pool").functionTimer().count())
                .isEqualTo(2);
    }
}
