package dev.reactivepool.micrometer;

import java.util.Locale;
import java.util.Objects;

import dev.reactivepool.PoolEvent;
import dev.reactivepool.PoolListener;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * The listener behind {@link PoolObservation#listener}: one observation per waiting acquire,
 * started on the acquirer's subscribing thread and stopped, without opening a scope, by whichever
 * thread ends the acquire.
 *
 * @param <T> the type of the pooled objects
 */
final class ObservingListener<T> implements PoolListener<T> {

    private final ObservationRegistry registry;

    ObservingListener(ObservationRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public AcquireWait<T> acquireWaitStarted(PoolEvent.AcquireWaitStarted event) {
        if (registry.isNoop()) {
            return null;
        }
        Object inContext = event.context().getOrDefault(PoolObservation.REACTOR_CONTEXT_KEY, null);
        Observation parent = inContext instanceof Observation o ? o : registry.getCurrentObservation();
        Observation observation = Observation.createNotStarted(PoolObservation.ACQUIRE_WAIT, registry)
                .contextualName("reactivepool acquire")
                .lowCardinalityKeyValue(PoolObservation.POOL_KEY, event.pool())
                .parentObservation(parent)
                .start();
        return new AcquireWait<>() {
            @Override
            public void created(PoolEvent.Created<T> created) {
                observation.event(Observation.Event.of(PoolObservation.CREATED_EVENT, "object created"));
            }

            @Override
            public void ended(PoolEvent.AcquireWaitEnded ended) {
                observation.lowCardinalityKeyValue(PoolObservation.OUTCOME_KEY,
                        ended.outcome().name().toLowerCase(Locale.ROOT));
                if (ended.error() != null) {
                    observation.error(ended.error());
                }
                observation.stop();
            }
        };
    }

    @Override
    public void created(PoolEvent.Created<T> event) {
        Observation current = registry.getCurrentObservation();
        if (current != null) {
            current.event(Observation.Event.of(PoolObservation.CREATED_EVENT, "object created"));
        }
    }

    @Override
    public void destroyed(PoolEvent.Destroyed<T> event) {
        Observation current = registry.getCurrentObservation();
        if (current != null) {
            current.event(Observation.Event.of(PoolObservation.DESTROYED_EVENT,
                    "object destroyed: " + event.reason().name().toLowerCase(Locale.ROOT)));
        }
    }
}
