package dev.reactivepool.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.reactivepool.PoolMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientState;

class ConnectionReuseTest {

    @RegisterExtension
    final LoopbackHttp http = new LoopbackHttp();

    @Test
    void twentySequentialRequestsUseOneConnection() {
        http.serve(server -> server
                .handle((req, res) -> res.sendString(Mono.just("hello"))));
        ReactivePoolConnectionProvider provider = http.provide(
                ReactivePoolConnectionProvider.builder("reuse").maxConnections(4));
        HttpClient client = http.client();

        for (int i = 0; i < 20; i++) {
            String body = client.get().uri("/").responseContent().aggregate().asString().block(Duration.ofSeconds(10));
            assertThat(body).isEqualTo("hello");
            PoolAwait.awaitQuiet(provider);
        }

        PoolMetrics metrics = PoolAwait.only(provider);
        assertThat(http.stats.opened).as("connections accepted by the server; %s", metrics).hasValue(1);
        assertThat(metrics.created()).isEqualTo(1);
        assertThat(metrics.acquired()).isEqualTo(20);
        assertThat(metrics.leased()).isZero();
        assertThat(metrics.idle()).isEqualTo(1);
    }

    @Test
    void aConnectionReleasedOnItsEventLoopGoesToTheWaitingRequestAtOnceNotInALaterTask() {
        ReactivePoolConnectionProvider provider = http.provide(
                ReactivePoolConnectionProvider.builder("hand-off").maxConnections(1));
        // The first response waits until the second request waits for the only connection, so that
        // the release finds it waiting (otherwise a fast first response leaves nobody to hand to).
        AtomicBoolean firstResponse = new AtomicBoolean(true);
        http.serve(server -> server
                .handle((req, res) -> res.sendString(firstResponse.compareAndSet(true, false)
                        ? Mono.just("hello").delayUntil(v -> Flux.interval(Duration.ofMillis(1))
                                .filter(tick -> PoolAwait.only(provider).pending() > 0).next()
                                .timeout(Duration.ofSeconds(5)))
                        : Mono.just("hello"))));
        Queue<String> events = new ConcurrentLinkedQueue<>();
        AtomicBoolean first = new AtomicBoolean(true);
        HttpClient client = http.client()
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
        assertThat(http.stats.opened).hasValue(1);
    }
}
