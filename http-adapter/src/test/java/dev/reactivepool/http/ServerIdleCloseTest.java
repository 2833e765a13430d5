package dev.reactivepool.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import dev.reactivepool.PoolMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * A server that closes connections idle for 200 ms, and a client that calls at random intervals
 * around that time: no request may fail with {@link PrematureCloseException}.
 *
 * <p>Why none can fail: the pool refuses, at acquire, any connection idle for 50 ms or more
 * ({@code maxIdleTime}, checked exactly by the validator, not only by the background eviction),
 * which leaves a 150 ms margin before the server's own timer. Idleness is counted from the last
 * byte the client received, which is about when the server wrote its response and started its
 * timer; the margin absorbs the delay between the two (the time the client's event loop takes to
 * read the response, which on a saturated machine was measured above 130 ms). A connection the server closed anyway is seen
 * as inactive by the validator, which runs on the connection's event loop after the close was
 * processed. Intervals are random but seeded, so every run makes the same calls.
 *
 * <p>The server also closes a new connection on which no request arrived within 200 ms of the
 * accept. In a cold JVM on a busy machine the very first requests can take that long to be
 * written and read, which no pool can prevent; the test therefore warms both sides up with 100
 * requests (not counted) before the measured 1,000.
 */
class ServerIdleCloseTest {

    private static final int WORKERS = 20;
    private static final int REQUESTS_PER_WORKER = 50;

    private final ServerStats stats = new ServerStats();
    private DisposableServer server;
    private ReactivePoolConnectionProvider provider;

    // The server runs on its own event loops, so that its work does not delay the client's reads.
    private final LoopResources serverLoops = LoopResources.create("idle-close-server", 2, true);

    @AfterEach
    void tearDown() {
        if (provider != null) {
            provider.disposeLater().block(Duration.ofSeconds(10));
        }
        if (server != null) {
            server.disposeNow(Duration.ofSeconds(10));
        }
        serverLoops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
    }

    @Test
    void thousandRequestsAroundTheServerIdleTimeoutNeverHitAClosedConnection() {
        server = stats.instrument(HttpServer.create().host("127.0.0.1").port(0)
                .runOn(serverLoops)
                .idleTimeout(Duration.ofMillis(200))
                .handle((req, res) -> res.sendString(Mono.just("pong")))).bindNow();
        provider = ReactivePoolConnectionProvider.builder("idle-close")
                .maxConnections(8)
                .maxIdleTime(Duration.ofMillis(50))
                .evictInBackground(Duration.ofMillis(25))
                .build();
        HttpClient client = HttpClient.create(provider).host("127.0.0.1").port(server.port());

        AtomicInteger warmupErrors = new AtomicInteger();
        Flux.range(0, 100)
                .flatMap(i -> client.get().uri("/").responseContent().aggregate().asString()
                        .onErrorResume(e -> {
                            warmupErrors.incrementAndGet();
                            return Mono.empty();
                        }), 10)
                .blockLast(Duration.ofSeconds(60));
        PoolAwait.awaitQuiet(provider);
        PoolMetrics warm = PoolAwait.only(provider);

        Random random = new Random(20261122L);
        List<List<Duration>> pauses = new java.util.ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            List<Duration> list = new java.util.ArrayList<>();
            for (int r = 0; r < REQUESTS_PER_WORKER; r++) {
                // Uniform in [50, 350) ms: below, around and beyond the server's 200 ms.
                list.add(Duration.ofMillis(50 + random.nextInt(300)));
            }
            pauses.add(list);
        }
        AtomicInteger premature = new AtomicInteger();
        AtomicInteger otherErrors = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();

        Flux.range(0, WORKERS)
                .flatMap(w -> Flux.fromIterable(pauses.get(w))
                        .concatMap(pause -> Mono.delay(pause)
                                .then(client.get().uri("/").responseContent().aggregate().asString())
                                .doOnNext(body -> ok.incrementAndGet())
                                .onErrorResume(e -> {
                                    if (e instanceof PrematureCloseException) {
                                        premature.incrementAndGet();
                                    }
                                    else {
                                        otherErrors.incrementAndGet();
                                    }
                                    return Mono.empty();
                                })), WORKERS)
                .blockLast(Duration.ofSeconds(90));

        PoolAwait.awaitQuiet(provider);
        PoolMetrics m = PoolAwait.only(provider);
        System.out.printf("idle-close warm-up errors: %d%n", warmupErrors.get());
        System.out.printf("idle-close: ok=%d premature=%d other=%d server[%s] pool[created=%d, destroyed=%d, evicted=%d,"
                        + " validationFailures=%d]%n", ok.get(), premature.get(), otherErrors.get(), stats, m.created(),
                m.destroyed(), m.evicted(), m.validationFailures());
        assertThat(premature).as("PrematureCloseException count").hasValue(0);
        assertThat(otherErrors).as("other errors").hasValue(0);
        assertThat(ok).hasValue(WORKERS * REQUESTS_PER_WORKER);
        // The scenario really exercised stale connections: the pool retired idle connections
        // (by validation at acquire or background eviction) and connections were reused.
        assertThat(m.validationFailures() + m.evicted() - warm.validationFailures() - warm.evicted()).isPositive();
        assertThat(m.created() - warm.created()).isLessThan(WORKERS * REQUESTS_PER_WORKER / 4);
    }
}
