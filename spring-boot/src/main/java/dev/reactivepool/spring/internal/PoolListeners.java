package dev.reactivepool.spring.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.reactivepool.PoolListener;
import dev.reactivepool.micrometer.PoolObservation;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.util.ClassUtils;

/**
 * The lifecycle listeners of the application's R2DBC pool: the application's {@link PoolListener}
 * beans, in their order, then, when the application has a Micrometer {@code ObservationRegistry}
 * (Boot's actuator makes one), {@link PoolObservation}'s listener, so that an acquire that waits
 * for a connection is an observation ({@value PoolObservation#ACQUIRE_WAIT}) and a span in traces.
 * Boot's {@code management.observations.enable.reactivepool=false} turns those observations off.
 *
 * <p>No listener at all when there is neither: the pool then pays nothing for events.
 */
public final class PoolListeners {

    private static final boolean OBSERVATION_PRESENT = ClassUtils.isPresent(
            "io.micrometer.observation.ObservationRegistry", PoolListeners.class.getClassLoader());

    private PoolListeners() {
    }

    /**
     * The pool's listeners.
     *
     * @param beans       the application's {@code PoolListener<Object>} beans, ordered
     * @param beanFactory where the {@code ObservationRegistry} is looked up, if Micrometer
     *                    Observation is on the class path
     * @return the listeners, possibly empty
     */
    public static List<PoolListener<Object>> of(Stream<PoolListener<Object>> beans, BeanFactory beanFactory) {
        List<PoolListener<Object>> listeners = new ArrayList<>(beans.toList());
        if (OBSERVATION_PRESENT) {
            Observations.add(beanFactory, listeners);
        }
        return listeners;
    }

    /** Kept apart so that no Micrometer Observation type is loaded when it is not on the class path. */
    private static final class Observations {

        static void add(BeanFactory beanFactory, List<PoolListener<Object>> listeners) {
            ObservationRegistry registry = beanFactory.getBeanProvider(ObservationRegistry.class).getIfAvailable();
            if (registry != null && !registry.isNoop()) {
                listeners.add(PoolObservation.listener(registry));
            }
        }
    }
}
