package dev.reactivepool.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.reactivepool.Lease;
import dev.reactivepool.Pool;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.test.subscriber.TestSubscriber;

/**
 * DESIGN "Observable": the Micrometer binder exposes every gauge, counter and timer of the
 * metrics snapshot, tagged with the pool's name and the extra tags, and follows the pool.
 */
class MeterBinderTest {

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicInteger ids = new AtomicInteger();
    private Pool<Integer> pool;

    @AfterEach
    void close() {
        if (pool != null) {
            pool.dispose();
        }
        clock.dispose();
        registry.close();
    }

    private Pool<Integer> bind(Pool<Integer> built) {
        pool = built;
        new PoolMeterBinder(built, Tags.of("service", "orders")).bindTo(registry);
        return built;
    }

    private double value(String name, String... tags) {
        Meter meter = registry.get(name).tags("pool", pool.name()).tags(tags).meter();
        return meter.measure().iterator().next().getValue();
    }

    @Test
    void registersEveryDocumentedMeterWithThePoolAndExtraTags() {
        bind(Pool.builder(Mono.fromSupplier(ids::incrementAndGet)).name("orders-db").timerScheduler(clock).build());

        List<String> names = List.of("reactivepool.idle", "reactivepool.leased", "reactivepool.leases",
                "reactivepool.pending",
                "reactivepool.creating", "reactivepool.total", "reactivepool.max.size", "reactivepool.acquired",
                "reactivepool.created", "reactivepool.destroyed", "reactivepool.evicted", "reactivepool.failures",
                "reactivepool.acquire.timeouts", "reactivepool.acquire.rejections", "reactivepool.leaks",
                "reactivepool.acquire", "reactivepool.acquire.p99", "reactivepool.hold", "reactivepool.hold.p99");
        for (String name : names) {
            assertThat(registry.find(name).meters()).as(name).isNotEmpty()
                    .allSatisfy(m -> assertThat(m.getId().getTags())
                            .contains(Tag.of("pool", "orders-db"), Tag.of("service", "orders")));
        }
        assertThat(registry.find("reactivepool.failures").meters())
                .extracting(m -> m.getId().getTag("kind"))
                .containsExactlyInAnyOrder("creation", "validation", "reset", "destroy");
        assertThat(value("reactivepool.max.size")).isEqualTo(10.0);
    }

    @Test
    void sharedLeasesAreCountedApartFromTheObjectsTheyShare() {
        bind(Pool.builder(Mono.fromSupplier(ids::incrementAndGet)).name("shared").maxSize(2).maxLeasesPerObject(3)
                .timerScheduler(clock).build());
        List<Lease<Integer>> leases = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            leases.add(pool.acquire().block(Duration.ofSeconds(5)));
        }

        Awaitility.await().atMost(2, TimeUnit.SECONDS).untilAsserted(() -> { // the binder caches its snapshot briefly
            assertThat(value("reactivepool.leases")).isEqualTo(4.0);
            assertThat(value("reactivepool.leased")).as("objects with a lease").isEqualTo(2.0);
        });

        leases.forEach(lease -> lease.release().block(Duration.ofSeconds(5)));
        Awaitility.await().atMost(2, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(value("reactivepool.leases")).isZero();
            assertThat(value("reactivepool.leased")).isZero();
        });
    }

    @Test
    void metersFollowThePool() {
        bind(Pool.builder(Mono.fromSupplier(ids::incrementAndGet)).name("meters").maxSize(2).maxPending(1)
                .validator(i -> Mono.just(i != 1))
                .timerScheduler(clock).build());
        Lease<Integer> first = pool.acquire().block(Duration.ofSeconds(5));
        Lease<Integer> second = pool.acquire().block(Duration.ofSeconds(5));
        TestSubscriber<Lease<Integer>> waiter = TestSubscriber.create();
        pool.acquire(Duration.ofSeconds(1)).subscribe(waiter);
        TestSubscriber<Lease<Integer>> rejected = TestSubscriber.create();
        pool.acquire().subscribe(rejected);

        Awaitility.await().atMost(2, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(value("reactivepool.leased")).isEqualTo(2.0);
            assertThat(value("reactivepool.pending")).isEqualTo(1.0);
            assertThat(value("reactivepool.total")).isEqualTo(2.0);
            assertThat(value("reactivepool.acquire.rejections")).isEqualTo(1.0);
        });

        clock.advanceTimeBy(Duration.ofSeconds(1)); // the waiter times out
        first.release().block(Duration.ofSeconds(5));
        second.release().block(Duration.ofSeconds(5));
        pool.acquire().flatMap(Lease::release).block(Duration.ofSeconds(5)); // #1 fails validation

        Awaitility.await().atMost(2, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(value("reactivepool.leased")).isZero();
            assertThat(value("reactivepool.pending")).isZero();
            assertThat(value("reactivepool.idle")).isEqualTo(1.0);
            assertThat(value("reactivepool.acquire.timeouts")).isEqualTo(1.0);
            assertThat(value("reactivepool.failures", "kind", "validation")).isEqualTo(1.0);
            assertThat(value("reactivepool.failures", "kind", "creation")).isZero();
            assertThat(value("reactivepool.destroyed")).isEqualTo(1.0);
            assertThat(value("reactivepool.created")).isEqualTo(2.0);
            assertThat(value("reactivepool.acquired")).isEqualTo(3.0);
            assertThat(registry.get("reactivepool.acquire").tags("pool", "meters").functionTimer().count())
                    .isEqualTo(3.0);
        });
    }

    @Test
    void creationFailuresAreTaggedByKind() {
        bind(Pool.<Integer>builder(Mono.error(new IllegalStateException("down"))).name("failing")
                .timerScheduler(clock).build());

        TestSubscriber<Lease<Integer>> acquirer = TestSubscriber.create();
        pool.acquire().subscribe(acquirer);
        acquirer.expectTerminalError();

        Awaitility.await().atMost(2, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(value("reactivepool.failures", "kind", "creation")).isEqualTo(1.0));
    }

    @Test
    void holdTimeIsExposedAsATimer() {
        bind(Pool.builder(Mono.fromSupplier(ids::incrementAndGet)).name("hold").holdTimeSampling(1)
                .timerScheduler(clock).build());

        for (int i = 0; i < 5; i++) {
            pool.acquire().flatMap(Lease::release).block(Duration.ofSeconds(5));
        }

        Awaitility.await().atMost(2, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(registry.get("reactivepool.hold").tags("pool", "hold").functionTimer().count())
                        .isEqualTo(5.0));
    }
}
