package dev.reactivepool.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.reactivepool.DestroyReason;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

/** The events page's example: six sequential leases with maxUses 3 wear out two objects. */
class EventsExampleTest {

    @Test
    void destroyedObjectsAreCountedByReason() {
        Map<DestroyReason, Long> counts = EventsExample.run(ObservationRegistry.create());

        assertThat(counts).containsExactly(Map.entry(DestroyReason.MAX_USES, 2L));
    }
}
