package dev.reactivepool.reliability;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.reactivepool.PoolMetrics;
import dev.reactivepool.r2dbc.PooledConnectionFactory;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.R2dbcTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The R2DBC adapter against a real PostgreSQL behind the fault proxy: under each fault the pool
 * fails requests with its documented errors (or the driver's), and when the fault ends it
 * recovers by itself; at every quiescent point no lease or permit is lost, idle stays within
 * {@code maxIdle}, and the server holds at most {@code maxSize} sessions of the pool; after
 * close every connection made was closed and the server holds none.
 */
class R2dbcFaultTest {

    private static final int MAX_SIZE = 5;
    private static final int MAX_IDLE = 3;

    private FaultProxy proxy;
    private PooledConnectionFactory factory;
    private String app;
    private final FaultLoad load = new FaultLoad(this::query);

    @org.junit.jupiter.api.BeforeAll
    static void warmDriver() {
        // The first connection of a JVM loads the driver's and Netty's classes; do it once,
        // outside the pool and its timeouts.
        EmbeddedPg.warmDriver();
    }

    @BeforeEach
    void start(TestInfo info) {
        app = "fault-" + info.getTestMethod().orElseThrow().getName();
        proxy = FaultProxy.start("pg", "127.0.0.1", EmbeddedPg.port());
        factory = PooledConnectionFactory.builder(EmbeddedPg.driver(proxy.port(), app))
                .name("r2dbc-fault")
                .maxSize(MAX_SIZE)
                .maxIdle(MAX_IDLE)
                // Generous for a cold JVM on a busy 2-core machine; the black-hole test asks for
                // a short acquire timeout explicitly.
                .acquireTimeout(Duration.ofSeconds(3))
                .createTimeout(Duration.ofSeconds(3))
                .validationTimeout(Duration.ofMillis(500))
                .resetTimeout(Duration.ofMillis(500))
                .destroyTimeout(Duration.ofMillis(500))
                .creationBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .evictionInterval(Duration.ofMillis(100))
                .build();
    }

    @AfterEach
    void stop() {
        try {
            if (factory != null) {
                factory.close().block(Duration.ofSeconds(20));
                PoolMetrics m = factory.metrics();
                assertThat(m.created()).as("created == destroyed after close: %s", m).isEqualTo(m.destroyed());
                assertThat(m.total()).isZero();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(EmbeddedPg.backends(app)).isZero());
            }
        } finally {
            proxy.close();
        }
    }

    private Mono<Integer> query(Duration timeout) {
        return Flux.usingWhen(factory.create(),
                        c -> Flux.from(c.createStatement("SELECT 1").execute())
                                .flatMap(r -> r.map((row, md) -> row.get(0, Integer.class))),
                        Connection::close)
                .single()
                .timeout(timeout);
    }

    /** Waits for quiescence and checks the bounds and the accounting of the pool and the server. */
    private void assertQuiescentAndBounded() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PoolMetrics m = factory.metrics();
            PoolAtRest.assertNothingLost(m);
            assertThat(m.idle()).isLessThanOrEqualTo(MAX_IDLE);
            assertThat(EmbeddedPg.backends(app)).as("server sessions").isLessThanOrEqualTo(MAX_SIZE)
                    .isEqualTo(m.total());
        });
    }

    @Test
    void recoversAfterEveryConnectionIsCut() {
        assertThat(load.run(100, 10, Duration.ofSeconds(5))).as("ok; errors: %s", load.lastErrors).isEqualTo(100);
        assertQuiescentAndBounded();

        // Cut while queries are in flight, and keep cutting new connections until some failed.
        int duringCut = load.runThroughCut(proxy, 300, 10, Duration.ofSeconds(5));

        assertThat(proxy.stats().cut()).isPositive();
        assertThat(duringCut).isLessThan(300);
        assertThat(load.run(100, 10, Duration.ofSeconds(5))).as("ok; errors: %s", load.lastErrors).isEqualTo(100);
        assertQuiescentAndBounded();
    }

    @Test
    void acquireTimeoutsFireDuringABlackHoleAndThePoolRecovers() {
        assertThat(load.run(50, 5, Duration.ofSeconds(5))).as("ok; errors: %s", load.lastErrors).isEqualTo(50);
        proxy.inject(Fault.BLACK_HOLE);

        // Fill the pool with queries that hang in the black hole...
        AtomicInteger hungFailed = new AtomicInteger();
        List<Mono<Integer>> hung = java.util.stream.IntStream.range(0, MAX_SIZE)
                .mapToObj(i -> query(Duration.ofSeconds(6)).doOnError(e -> hungFailed.incrementAndGet())
                        .onErrorResume(e -> Mono.empty()))
                .toList();
        var hanging = Flux.merge(hung).collectList().toFuture();
        await().atMost(Duration.ofSeconds(5)).until(() -> factory.metrics().leased() + factory.metrics().creating()
                == MAX_SIZE);
        // ...then the next acquire must time out with the documented error.
        long before = factory.metrics().acquireTimeouts();
        Throwable error = factory.create(Duration.ofMillis(500)).then().materialize().block(Duration.ofSeconds(5)).getThrowable();
        assertThat(error).isInstanceOf(R2dbcTimeoutException.class);
        assertThat(factory.metrics().acquireTimeouts()).isEqualTo(before + 1);

        hanging.join();
        assertThat(hungFailed).hasValue(MAX_SIZE);
        proxy.inject(Fault.NONE);

        assertThat(load.run(100, 10, Duration.ofSeconds(5))).as("ok; errors: %s", load.lastErrors).isEqualTo(100);
        assertQuiescentAndBounded();
        assertThat(proxy.stats().bytesDropped()).isPositive();
    }

    @Test
    void slowNetworkOnlySlowsQueriesDown() {
        proxy.latency(Duration.ofMillis(20)).inject(Fault.LATENCY);
        assertThat(load.run(100, 10, Duration.ofSeconds(10))).as("ok; errors: %s", load.lastErrors).isEqualTo(100);
        assertQuiescentAndBounded();
        proxy.inject(Fault.NONE);
        assertThat(proxy.stats().chunksDelayed()).isPositive();
    }

    @Test
    void refusedConnectionsFailCallersAndThePoolComesBack() {
        assertThat(load.run(20, 5, Duration.ofSeconds(5))).as("ok; errors: %s", load.lastErrors).isEqualTo(20);
        proxy.inject(Fault.CUT);
        proxy.inject(Fault.REFUSE);

        // The idle connections were cut and no new one can be opened: every query fails with an
        // R2DBC exception (a dead connection's, or the pool's wrapping the refused connect), and
        // once the dead connections are discarded the refused connects are counted.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(load.run(5, 2, Duration.ofSeconds(5))).isZero();
            assertThat(load.lastErrors).hasSize(5).allSatisfy(e -> assertThat(e).startsWith("io.r2dbc"));
            PoolMetrics during = factory.metrics();
            assertThat(during.leased()).isZero();
            assertThat(during.creationFailures()).as("refused connects; %s; errors: %s", during, load.lastErrors)
                    .isPositive();
        });

        proxy.inject(Fault.NONE);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(load.run(20, 5, Duration.ofSeconds(5))).as("ok; errors: %s", load.lastErrors).isEqualTo(20));
        assertQuiescentAndBounded();
    }
}
