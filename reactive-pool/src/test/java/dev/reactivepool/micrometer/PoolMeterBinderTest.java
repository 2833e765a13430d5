package dev.reactivepool.micrometer;

import java.time.Duration;

import dev.reactivepool.Lease;
import dev.reactivepool.Pool;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.awaitility.Awaitility;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

class PoolMeterBinderTest {

    @Test
    void metersFollowThePool() {
        Pool<String> pool = Pool.builder(Mono.just("object")).name("orders-db").maxSize(3)
                .validator(s -> Mono.just(false)).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new PoolMeterBinder(pool, Tags.of("service", "orders")).bindTo(registry);

        Lease<String> lease = pool.acquire().block(Duration.ofSeconds(5));
        Awaitility.await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            assertThat(registry.get("reactivepool.leased").tags("pool", "orders-db", "service", "orders").gauge()
                    .value()).isEqualTo(1.0);
            assertThat(registry.get("reactivepool.created").functionCounter().count()).isEqualTo(1.0);
            assertThat(registry.get("reactivepool.max.size").gauge().value()).isEqualTo(3.0);
        });
        lease.release().block(Duration.ofSeconds(5));
        // The idle object fails validation: it is destroyed, a new one is created and leased.
        pool.acquire().flatMap(Lease::release).block(Duration.ofSeconds(5));
        Awaitility.await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            assertThat(registry.get("reactivepool.leased").gauge().value()).isZero();
            assertThat(registry.get("reactivepool.idle").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("reactivepool.failures").tag("kind", "validation").functionCounter().count())
                    .isEqualTo(1.0);
            assertThat(registry.get("reactivepool.destroyed").functionCounter().count()).isEqualTo(1.0);
            FunctionTimer acquire = registry.get("reactivepool.acquire").functionTimer();
            assertThat(acquire.count()).isEqualTo(2.0);
            assertThat(acquire.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
        });
        pool.close().block(Duration.ofSeconds(5));
    }
}
