package dev.reactivepool.samples;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import dev.reactivepool.DestroyReason;
import dev.reactivepool.Pool;
import dev.reactivepool.PoolEvent;
import dev.reactivepool.PoolListener;
import dev.reactivepool.micrometer.PoolObservation;
import io.micrometer.observation.ObservationRegistry;
import reactor.core.publisher.Mono;

/**
 * The examples of {@code docs/events-and-tracing.md}, compiled and run: a listener that counts
 * destroyed objects by reason and notes slow creations, and the Micrometer Observation listener.
 */
public final class EventsExample {

    private EventsExample() {
    }

    /** Counts destroyed objects by reason; quick and non-blocking, as a listener must be. */
    static final class DestroyedByReason implements PoolListener<ToyConnection> {
        final Map<DestroyReason, LongAdder> counts = new EnumMap<>(DestroyReason.class);
        final LongAdder slowCreations = new LongAdder();

        DestroyedByReason() {
            for (DestroyReason reason : DestroyReason.values()) {
                counts.put(reason, new LongAdder());
            }
        }

        @Override
        public void destroyed(PoolEvent.Destroyed<ToyConnection> event) {
            counts.get(event.reason()).increment();
        }

        @Override
        public void created(PoolEvent.Created<ToyConnection> event) {
            if (event.creationTime().compareTo(Duration.ofMillis(500)) > 0) {
                slowCreations.increment();
            }
        }
    }

    /**
     * Builds a pool with both listeners, uses it, closes it, and returns how many objects were
     * destroyed by their lifetime cap of uses and by the close.
     *
     * @param observations where waiting acquires are observed
     * @return the counts by reason
     */
    public static Map<DestroyReason, Long> run(ObservationRegistry observations) {
        DestroyedByReason byReason = new DestroyedByReason();
        Pool<ToyConnection> pool = Pool.builder(ToyConnection.connect())
                .name("inventory-db")
                .maxSize(2).maxUses(3)
                .listener(byReason)                                   // called in the order added
                .listener(PoolObservation.listener(observations))     // waiting acquires become spans
                .build();
        try {
            for (int i = 0; i < 6; i++) {
                pool.withLease(c -> c.query("select 1")).then().block(Duration.ofSeconds(5));
            }
        } finally {
            pool.close().block(Duration.ofSeconds(5));
        }
        Map<DestroyReason, Long> result = new EnumMap<>(DestroyReason.class);
        byReason.counts.forEach((reason, count) -> {
            if (count.sum() > 0) {
                result.put(reason, count.sum());
            }
        });
        return result;
    }

    /**
     * Acquires inside an observation: the pool finds it in the Reactor context and makes the
     * waiting acquire its child.
     *
     * @param pool         a pool built with {@code PoolObservation.listener(observations)}
     * @param observations the registry
     * @return the query's first row
     */
    public static Mono<String> tracedQuery(Pool<ToyConnection> pool, ObservationRegistry observations) {
        io.micrometer.observation.Observation request = io.micrometer.observation.Observation
                .start("inventory.lookup", observations);
        return pool.withLease(c -> c.query("select name from item")).next()
                .contextWrite(ctx -> ctx.put(PoolObservation.REACTOR_CONTEXT_KEY, request))
                .doFinally(signal -> request.stop());
    }
}
