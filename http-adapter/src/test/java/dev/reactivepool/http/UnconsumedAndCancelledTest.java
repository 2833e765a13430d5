package dev.reactivepool.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.reactivepool.PoolMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Requests that do not consume their response body, and requests cancelled at random moments:
 * afterwards nothing is leased, waiting or being opened, and every connection the server still
 * has open is one the pool holds idle (no connection leaked on either side).
 */
class UnconsumedAndCancelledTest {

    @RegisterExtension
    final LoopbackHttp http = new LoopbackHttp();

    private ReactivePoolConnectionProvider provider;
    private HttpClient client;

    private void start() {
        http.serve(server -> server
                .route(routes -> routes
                        .get("/big", (req, res) -> res.sendString(Flux.range(0, 200).map(i -> "line " + i + "\n")))
                        .get("/slow", (req, res) -> res.sendString(Mono.delay(Duration.ofSeconds(2)).thenReturn("late")))
                        .get("/jitter/{ms}", (req, res) -> res.sendString(
                                Mono.delay(Duration.ofMillis(Long.parseLong(req.param("ms"))))
                                        .thenMany(Flux.range(0, 20).map(i -> "chunk " + i + "\n"))))
                        .get("/ok", (req, res) -> res.sendString(Mono.just("ok")))));
        // Unbounded pending queue: cancelled requests' connections are closed asynchronously, so
        // the queue may briefly hold more acquirers than there are requests in flight.
        provider = http.provide(ReactivePoolConnectionProvider.builder("unconsumed").maxConnections(8)
                .pendingAcquireMaxCount(-1));
        client = http.client();
    }

    private void assertNothingLeaks() {
        PoolAwait.awaitQuiet(provider);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PoolMetrics m = PoolAwait.only(provider);
            assertThat(m.leased()).isZero();
            assertThat(m.pending()).isZero();
            assertThat(m.total()).isEqualTo(m.idle());
            assertThat(http.stats.open.get()).as("server-side open connections vs pool %s; %s", m, http.stats)
                    .isEqualTo(m.idle());
        });
        // The pool still works.
        assertThat(client.get().uri("/ok").responseContent().aggregate().asString().block(Duration.ofSeconds(10)))
                .isEqualTo("ok");
    }

    @Test
    void responsesWhoseBodyIsNotConsumedDoNotLeak() {
        start();
        for (int i = 0; i < 10; i++) {
            Integer status = client.get().uri("/big").response().map(r -> r.status().code())
                    .block(Duration.ofSeconds(10));
            assertThat(status).isEqualTo(200);
            // The body publisher is handed over but never subscribed.
            Integer ignoringBody = client.get().uri("/big")
                    .responseSingle((res, body) -> Mono.just(res.status().code()))
                    .block(Duration.ofSeconds(10));
            assertThat(ignoringBody).isEqualTo(200);
        }
        assertNothingLeaks();
        System.out.printf("unconsumed: server[%s] pool[%s]%n", http.stats, PoolAwait.only(provider));
    }

    @Test
    void requestsCancelledMidFlightDoNotLeak() {
        start();
        // Cancelled while the server has not answered yet.
        Flux.range(0, 20)
                .flatMap(i -> client.get().uri("/slow").responseContent().aggregate().asString()
                        .timeout(Duration.ofMillis(100))
                        .onErrorResume(TimeoutException.class, e -> Mono.just("cancelled")))
                .blockLast(Duration.ofSeconds(20));
        assertNothingLeaks();

        // Cancelled at random moments: waiting for a connection, connecting, writing, reading.
        Random random = new Random(42);
        AtomicInteger cancelled = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        Flux.range(0, 300)
                .flatMap(i -> client.get().uri("/jitter/" + random.nextInt(10)).responseContent().aggregate().asString()
                        .timeout(Duration.ofMillis(1 + random.nextInt(150)))
                        .doOnNext(body -> completed.incrementAndGet())
                        .onErrorResume(TimeoutException.class, e -> {
                            cancelled.incrementAndGet();
                            return Mono.empty();
                        }), 16)
                .blockLast(Duration.ofSeconds(60));
        System.out.printf("cancelled: %d cancelled, %d completed, server[%s] pool[%s]%n", cancelled.get(),
                completed.get(), http.stats, PoolAwait.only(provider));
        assertThat(cancelled.get()).isPositive();
        assertThat(cancelled.get() + completed.get()).isEqualTo(300);
        assertNothingLeaks();
    }
}
