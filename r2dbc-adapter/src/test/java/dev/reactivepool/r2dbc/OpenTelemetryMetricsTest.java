package dev.reactivepool.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.reactivepool.r2dbc.micrometer.ConnectionPoolMeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

/**
 * The factory's meters under the OpenTelemetry database-client connection names, against a real
 * PostgreSQL, read from a SimpleMeterRegistry; and under reactive-pool's names with the same binder.
 */
final class OpenTelemetryMetricsTest {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static double gauge(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).tag(ConnectionPoolMeterBinder.POOL_NAME, "otel-db").gauge().value();
    }

    @Test
    void openTelemetryNames() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PooledConnectionFactory factory = PooledConnectionFactory.builder(PgSupport.driver(PG.port(), "otel"))
                .name("otel-db").maxSize(3).maxIdle(2).minIdle(1)
                .holdTimeSampling(1)
                .listener(ConnectionPoolMeterBinder.createTimeRecorder(registry))
                .build();
        ConnectionPoolMeterBinder.openTelemetry(factory, 1, Tags.empty()).bindTo(registry);
        try {
            assertThat(factory.warmup().block(Duration.ofSeconds(30))).isEqualTo(1);
            Connection held = Mono.from(factory.create()).block(Duration.ofSeconds(20));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> { // meters read a snapshot of up to 100 ms
                assertThat(gauge(registry, "db.client.connection.count", ConnectionPoolMeterBinder.STATE, "used"))
                        .isEqualTo(1.0);
                assertThat(gauge(registry, "db.client.connection.count", ConnectionPoolMeterBinder.STATE, "idle"))
                        .isZero();
            });
            Mono.from(held.close()).block(Duration.ofSeconds(10));
            assertThat(PgSupport.queryOne(factory, "SELECT 1", Integer.class).block(Duration.ofSeconds(20)))
                    .isEqualTo(1);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(gauge(registry, "db.client.connection.count", ConnectionPoolMeterBinder.STATE, "used"))
                        .isZero();
                assertThat(gauge(registry, "db.client.connection.count", ConnectionPoolMeterBinder.STATE, "idle"))
                        .isEqualTo(1.0);
                assertThat(gauge(registry, "db.client.connection.max")).isEqualTo(3.0);
                assertThat(gauge(registry, "db.client.connection.idle.max")).isEqualTo(2.0);
                assertThat(gauge(registry, "db.client.connection.idle.min")).isEqualTo(1.0);
                assertThat(gauge(registry, "db.client.connection.pending_requests")).isZero();
                assertThat(registry.get("db.client.connection.wait_time").tag(ConnectionPoolMeterBinder.POOL_NAME,
                        "otel-db").functionTimer().count()).isEqualTo(2);
                assertThat(registry.get("db.client.connection.use_time").tag(ConnectionPoolMeterBinder.POOL_NAME,
                        "otel-db").functionTimer().totalTime(TimeUnit.NANOSECONDS)).isPositive();
            });
            var createTime = registry.get(ConnectionPoolMeterBinder.CREATE_TIME)
                    .tag(ConnectionPoolMeterBinder.POOL_NAME, "otel-db").timer();
            assertThat(createTime.count()).as("one connection opened").isEqualTo(1);
            assertThat(createTime.totalTime(TimeUnit.NANOSECONDS)).isPositive();

            // exhaust the pool, then time out once
            Connection a = Mono.from(factory.create()).block(Duration.ofSeconds(20));
            Connection b = Mono.from(factory.create()).block(Duration.ofSeconds(20));
            Connection c = Mono.from(factory.create()).block(Duration.ofSeconds(20));
            assertThat(Mono.from(factory.create(Duration.ofMillis(200))).onErrorResume(e -> Mono.empty())
                    .block(Duration.ofSeconds(10))).as("every connection is leased: times out").isNull();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(registry.get("db.client.connection.timeouts").tag(ConnectionPoolMeterBinder.POOL_NAME,
                            "otel-db").functionCounter().count()).isEqualTo(1.0));
            for (Connection connection : new Connection[] {a, b, c}) {
                Mono.from(connection.close()).block(Duration.ofSeconds(10));
            }
            assertThat(registry.find("reactivepool.idle").meter()).as("one naming scheme only").isNull();
        } finally {
            factory.close().block(Duration.ofSeconds(30));
        }
    }

    @Test
    void reactivePoolNamesWithTheSameBinder() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PooledConnectionFactory factory = PooledConnectionFactory.builder(PgSupport.driver(PG.port(), "otel2"))
                .name("ours-db").maxSize(2).build();
        ConnectionPoolMeterBinder.of(factory, ConnectionPoolMeterBinder.Naming.REACTIVE_POOL).bindTo(registry);
        try {
            assertThat(registry.get("reactivepool.max.size").tag("pool", "ours-db").gauge().value()).isEqualTo(2.0);
            assertThat(registry.find("db.client.connection.max").meter()).isNull();
        } finally {
            factory.close().block(Duration.ofSeconds(10));
        }
    }
}
