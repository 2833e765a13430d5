package dev.reactivepool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What listeners cost on the idle-hit acquire + release: nothing without one (the lease only,
 * as in {@link FastPathTest}); with a no-op listener, the two event records and the hold time's
 * {@code Duration}, and no more.
 */
class ListenerCostTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    private double bytesPerCycle(PoolBuilder<Res> builder) {
        return AllocationMeter.bytesPerAcquireAndRelease(fixture.build(builder));
    }

    @Test
    void noListenerAllocatesOnlyTheLease() {
        double bytes = bytesPerCycle(fixture.virtualTimeBuilder());
        System.out.printf("idle-hit acquire + release, no listener: %.1f B per cycle%n", bytes);

        assertThat(bytes).isLessThanOrEqualTo(56.0);
    }

    @Test
    void aNoOpListenerAddsItsEventsOnly() {
        double bytes = bytesPerCycle(fixture.virtualTimeBuilder().listener(new PoolListener<Res>() {
        }));
        System.out.printf("idle-hit acquire + release, one no-op listener: %.1f B per cycle%n", bytes);

        // the lease (40), an Acquired and a Released record (about 32 each), the hold time (24)
        assertThat(bytes).isLessThanOrEqualTo(160.0);
    }
}
