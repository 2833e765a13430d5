package dev.reactivepool.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.reactivepool.PoolMetrics;
import dev.reactivepool.micrometer.PoolMeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pool's metrics on the factory: the snapshot, and Micrometer meters through the core's
 * binder, tagged with the pool's name.
 */
final class MetricsTest {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Test
    void metricsAreExposedOnTheFactoryAndThroughMicrometer() {
        PooledConnectionFactory factory = PooledConnectionFactory.builder(PgSupport.driver(PG.port(), "metrics"))
                .name("metrics-db").maxSize(3).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new PoolMeterBinder(factory.pool()).bindTo(registry);
        try {
            for (int i = 0; i < 3; i++) {
                assertThat(PgSupport.queryOne(factory, "SELECT 1", Integer.class).block(Duration.ofSeconds(20)))
                        .isEqualTo(1);
            }
            PoolMetrics metrics = factory.metrics();
            assertThat(metrics.name()).isEqualTo("metrics-db");
            assertThat(metrics.acquired()).isEqualTo(3);
            assertThat(metrics.created()).isEqualTo(1);
            assertThat(metrics.idle()).isEqualTo(1);
            assertThat(metrics.leased()).isZero();
            assertThat(metrics.acquireLatency().count()).isEqualTo(3);

            assertThat(registry.get("reactivepool.max.size").tag("pool", "metrics-db").gauge().value()).isEqualTo(3.0);
            assertThat(registry.get("reactivepool.total").tag("pool", "metrics-db").gauge().value()).isEqualTo(1.0);
        } finally {
            factory.close().block(Duration.ofSeconds(10));
        }
    }
}
