package dev.reactivepool.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivepool.PoolMetrics;
import org.junit.jupiter.api.Test;

class OperationsExampleTest {

    @Test
    void theRotatedConnectionIsClosedAndTheResizedLimitsApply() {
        PoolMetrics metrics = OperationsExample.run();

        assertThat(metrics.evicted()).as("the connection opened before evictAll").isEqualTo(1);
        assertThat(metrics.maxSize()).isEqualTo(20);
        assertThat(metrics.maxIdle()).isEqualTo(10);
        assertThat(metrics.acquired()).isEqualTo(2);
        assertThat(metrics.leased()).isZero();
    }
}
