package dev.reactivepool.reliability;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.reactivepool.AcquireTimeoutException;
import dev.reactivepool.PoolMetrics;
import dev.reactivepool.http.ReactivePoolConnectionProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP adapter ({@link ReactivePoolConnectionProvider} under Reactor Netty's
 * {@code HttpClient}) against a Reactor Netty server behind the fault proxy: requests fail under
 * a fault and the pool recovers when it ends; pending acquires time out during a black hole; at
 * every quiescent point no lease or permit is lost, idle stays within {@code maxIdle}, and the
 * server holds exactly the pool's connections, at most {@code maxConnections}; after the
 * provider is disposed every connection made was closed and the server holds none.
 */
class HttpFaultTest {

    private static final int MAX_CONNECTIONS = 5;
    private static final int MAX_IDLE = 3;

    private CountingHttpServer server;
    private FaultProxy proxy;
    private ReactivePoolConnectionProvider provider;
    private HttpClient client;
    private final FaultLoad load = new FaultLoad(this::get);

    @BeforeAll
    static void warmClient() {
        // Loads Reactor Netty's HTTP client classes once, outside the timeouts of the tests.
        try (CountingHttpServer warm = new CountingHttpServer()) {
            HttpClient.newConnection().host("127.0.0.1").port(warm.port()).get().uri("/")
                    .responseContent().aggregate().asString().block(Duration.ofSeconds(30));
        }
    }

    @BeforeEach
    void start() {
        server = new CountingHttpServer();
        proxy = FaultProxy.start("http", "127.0.0.1", server.port());
        provider = ReactivePoolConnectionProvider.builder("http-fault")
                .maxConnections(MAX_CONNECTIONS)
                .maxIdle(MAX_IDLE)
                .pendingAcquireTimeout(Duration.ofSeconds(2))
                .evictInBackground(Duration.ofMillis(100))
                .build();
        client = HttpClient.create(provider).host("127.0.0.1").port(proxy.port());
    }

    @AfterEach
    void stop() {
        try {
            PoolMetrics before = metrics();
            provider.disposeLater().block(Duration.ofSeconds(20));
            // A disposed provider drops its host pools and their metrics; every connection the
            // pool made went through the proxy, so none open there means every one was closed.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(proxy.stats().open()).as("pool connections open at the proxy; before dispose %s", before)
                        .isZero();
                assertThat(server.open).hasValue(0);
            });
        } finally {
            proxy.close();
            server.close();
        }
    }

    private Mono<String> get(Duration timeout) {
        return client.get().uri("/").responseContent().aggregate().asString().timeout(timeout);
    }

    private PoolMetrics metrics() {
        List<PoolMetrics> all = List.copyOf(provider.metricsPerHost().values());
        assertThat(all).as("one host pool").hasSize(1);
        return all.get(0);
    }

    private void assertQuiescentAndBounded() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PoolMetrics m = metrics();
            PoolAtRest.assertNothingLost(m);
            assertThat(m.idle()).isLessThanOrEqualTo(MAX_IDLE);
            assertThat(server.open.get()).as("server connections; %s", m).isLessThanOrEqualTo(MAX_CONNECTIONS)
                    .isEqualTo(m.total());
        });
    }

    @Test
    void recoversAfterEveryConnectionIsCut() {
        assertThat(load.run(200, 10, Duration.ofSeconds(5))).as("errors: %s", load.lastErrors).isEqualTo(200);
        assertQuiescentAndBounded();

        // Cut while requests are in flight, and keep cutting new connections until some failed.
        int duringCut = load.runThroughCut(proxy, 300, 10, Duration.ofSeconds(5));

        assertThat(proxy.stats().cut()).isPositive();
        assertThat(duringCut).isLessThan(300);
        assertThat(load.run(200, 10, Duration.ofSeconds(5))).as("after the cut; errors: %s", load.lastErrors).isEqualTo(200);
        assertQuiescentAndBounded();
    }

    @Test
    void pendingAcquiresTimeOutDuringABlackHoleAndThePoolRecovers() {
        assertThat(load.run(50, 5, Duration.ofSeconds(5))).as("errors: %s", load.lastErrors).isEqualTo(50);
        proxy.inject(Fault.BLACK_HOLE);

        AtomicInteger hungFailed = new AtomicInteger();
        CompletableFuture<List<String>> hanging = Flux.merge(IntStream.range(0, MAX_CONNECTIONS)
                        .mapToObj(i -> get(Duration.ofSeconds(6)).doOnError(e -> hungFailed.incrementAndGet())
                                .onErrorResume(e -> Mono.empty()))
                        .toList())
                .collectList().toFuture();
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics().leased() + metrics().creating() == MAX_CONNECTIONS);

        long before = metrics().acquireTimeouts();
        Throwable error = get(Duration.ofSeconds(10)).then().materialize().block(Duration.ofSeconds(15)).getThrowable();
        assertThat(error).as("the pending acquire's error").isInstanceOf(AcquireTimeoutException.class);
        assertThat(metrics().acquireTimeouts()).isEqualTo(before + 1);

        hanging.join();
        assertThat(hungFailed).hasValue(MAX_CONNECTIONS);
        proxy.inject(Fault.NONE);

        assertThat(load.run(100, 10, Duration.ofSeconds(5))).as("after the black hole; errors: %s", load.lastErrors)
                .isEqualTo(100);
        assertQuiescentAndBounded();
        assertThat(proxy.stats().bytesDropped()).isPositive();
    }

    @Test
    void slowNetworkOnlySlowsRequestsDown() {
        proxy.latency(Duration.ofMillis(20)).inject(Fault.LATENCY);
        assertThat(load.run(100, 10, Duration.ofSeconds(10))).as("errors: %s", load.lastErrors).isEqualTo(100);
        assertQuiescentAndBounded();
        proxy.inject(Fault.NONE);
        assertThat(proxy.stats().chunksDelayed()).isPositive();
    }

    @Test
    void refusedConnectionsFailRequestsAndThePoolComesBack() {
        assertThat(load.run(20, 5, Duration.ofSeconds(5))).as("errors: %s", load.lastErrors).isEqualTo(20);
        proxy.inject(Fault.CUT);
        proxy.inject(Fault.REFUSE);

        assertThat(load.run(10, 2, Duration.ofSeconds(5))).isZero();
        assertThat(load.lastErrors).hasSize(10);
        PoolMetrics during = metrics();
        assertThat(during.leased()).as("%s", during).isZero();
        assertThat(during.creationFailures()).as("refused connects; %s", during).isPositive();

        proxy.inject(Fault.NONE);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(load.run(20, 5, Duration.ofSeconds(5))).as("errors: %s", load.lastErrors).isEqualTo(20));
        assertQuiescentAndBounded();
    }
}
