package dev.reactivepool.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivepool.PoolMetrics;
import org.junit.jupiter.api.Test;

class DroppedLeasesExampleTest {

    @Test
    void theLeaseThatZipDiscardsGoesBackToThePool() {
        PoolMetrics metrics = DroppedLeasesExample.run();

        assertThat(metrics.acquired()).isEqualTo(1);
        assertThat(metrics.leased()).isZero();
        assertThat(metrics.reclaimed()).isEqualTo(1);
    }
}
