package dev.reactivepool.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.reactivepool.PoolMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ConnectionObserver;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientState;
import reactor.netty.http.server.HttpServer;

class ConnectionReuseTest {

    private final ServerStats stats = new ServerStats();
    private DisposableServer server;
    private ReactivePoolConnectionProvider provider;

    @AfterEach
    void tearDown() {
        if (provider != null) {
            provider.disposeLater().block(Duration.ofSeconds(10));
        }
        if (server != null) {
            server.disposeNow(Duration.ofSeconds(10));
        }
    }

    @Test
    void twentySequentialRequestsUseOneConnection() {
        server = stats.instrument(HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> res.sendString(Mono.just("hello")))).bindNow();
        provider = ReactivePoolConnectionProvider.builder("reuse").maxConnections(4).build();
        HttpClient client = HttpClient.create(provider).host("127.0.0.1").port(server.port());

        for (int i = 0; i < 20; i++) {
            String body = client.get().uri("/").responseContent().aggregate().asString().block(Duration.ofSeconds(10));
            assertThat(body).isEqualTo("hello");
            PoolAwait.awaitQuiet(provider);
        }

        PoolMetrics metrics = PoolAwait.only(provider);
        assertThat(stats.opened).as("connections accepted by the server; %s", metrics).hasValue(1);
        assertThat(metrics.created()).isEqualTo(1);
        assertThat(metrics.acquired()).isEqualTo(20);
        assertThat(metrics.leased()).isZero();
        assertThat(metrics.idle()).isEqualTo(1);
    }

    @Test
    void aConnectionReleasedOnItsEventLoopGoesToTheWaitingRequestAtOnceNotInALaterTask() {
        provider = ReactivePoolConnectionProvider.builder("hand-off").maxConnections(1).build();
        // The first response waits until the second request waits for the only connection, so that
        // the release finds it waiting (otherwise a fast first response leaves nobody to hand to).
        AtomicBoolean firstResponse = new AtomicBoolean(true);
        server = stats.instrument(HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> res.sendString(firstResponse.compareAndSet(true, false)
                        ? Mono.just("hello").delayUntil(v -> Flux.interval(Duration.ofMillis(1))
                                .filter(tick -> PoolAwait.only(provider).pending() > 0).next()
                                .timeout(Duration.ofSeconds(5)))
                        : Mono.just("hello")))).bindNow();
        Queue<String> events = new ConcurrentLinkedQueue<>();
        AtomicBoolean first = new AtomicBoolean(true);
        HttpClient client = HttpClient.create(provider).host("127.0.0.1").port(server.port())
                .observe((connection, state) -> {
                    if (state == HttpClientState.RESPONSE_COMPLETED && first.compareAndSet(true, false)) {
                        // Queued on the loop before the first response releases the connection
                        // (which happens further down this very stack).
                        connection.channel().eventLoop().execute(() -> events.add("next task on the loop"));
                    }
                    else if (state == ConnectionObserver.State.ACQUIRED) {
                        events.add("waiting request got the connection");
                    }
                });

        List<String> bodies = Flux.range(0, 2)
                .flatMap(i -> client.get().uri("/").responseContent().aggregate().asString())
                .collectList()
                .block(Duration.ofSeconds(10));

        assertThat(bodies).containsExactly("hello", "hello");
        assertThat(events).containsExactly("waiting request got the connection", "next task on the loop");
        PoolAwait.awaitQuiet(provider);
        assertThat(stats.opened).hasValue(1);
    }
}
