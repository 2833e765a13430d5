package dev.reactivepool.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.reactivepool.PoolMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
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
}
