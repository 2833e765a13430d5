package dev.reactivepool.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import dev.reactivepool.PoolMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

class ConnectionCloseTest {

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
    void connectionCloseResponsesAreNotPooled() {
        server = stats.instrument(HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> res.header("Connection", "close").sendString(Mono.just("bye")))).bindNow();
        provider = ReactivePoolConnectionProvider.builder("close").maxConnections(4).build();
        HttpClient client = HttpClient.create(provider).host("127.0.0.1").port(server.port());

        for (int i = 0; i < 5; i++) {
            String body = client.get().uri("/").responseContent().aggregate().asString().block(Duration.ofSeconds(10));
            assertThat(body).isEqualTo("bye");
            PoolAwait.awaitQuiet(provider);
        }

        assertThat(stats.opened).as("one connection per request").hasValue(5);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PoolMetrics m = PoolAwait.only(provider);
            assertThat(m.idle()).isZero();
            assertThat(m.total()).isZero();
            assertThat(m.created()).isEqualTo(5);
            assertThat(m.destroyed()).isEqualTo(5);
            assertThat(stats.open).hasValue(0);
        });
    }
}
