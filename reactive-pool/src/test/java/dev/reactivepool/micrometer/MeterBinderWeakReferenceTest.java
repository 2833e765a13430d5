package dev.reactivepool.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.reactivepool.Pool;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * PoolMeterBinder: "like Micrometer's own binders, the meters hold the pool weakly: they report
 * NaN once the pool is garbage". A closed, unreferenced pool must not be kept alive by a registry.
 */
class MeterBinderWeakReferenceTest {

    @Test
    void registryDoesNotKeepAClosedPoolAlive() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        WeakReference<Pool<Integer>> ref = bindAndClose(registry);

        Awaitility.await().atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            System.gc();
            assertThat(ref.get()).as("the pool was collected").isNull();
        });
        assertThat(registry.get("reactivepool.idle").gauge().value()).isNaN();
        registry.close();
    }

    private static WeakReference<Pool<Integer>> bindAndClose(SimpleMeterRegistry registry) {
        Pool<Integer> pool = Pool.builder(Mono.just(1)).name("collected").build();
        new PoolMeterBinder(pool).bindTo(registry);
        pool.acquire().flatMap(l -> l.release()).block(Duration.ofSeconds(5));
        pool.close().block(Duration.ofSeconds(5));
        return new WeakReference<>(pool);
    }
}
