package dev.reactivepool.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

class ConnectionProviderMeterBinderTest {

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
    void perHostPoolsAppearAsMetersAndDisappearWhenClosed() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> res.sendString(Mono.just("ok"))).bindNow();
        provider = ReactivePoolConnectionProvider.builder("metered").build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ConnectionProviderMeterBinder(provider).bindTo(registry);
        HttpClient client = HttpClient.create(provider).host("127.0.0.1").port(server.port());

        for (int i = 0; i < 3; i++) {
            assertThat(client.get().uri("/").responseContent().aggregate().asString().block(Duration.ofSeconds(10)))
                    .isEqualTo("ok");
            PoolAwait.awaitQuiet(provider);
        }

        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
        String pool = "metered[" + address + "]";
        assertThat(registry.get("reactivepool.total").tag("pool", pool).tag("remote.address", address.toString())
                .gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("reactivepool.idle").tag("pool", pool).gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("reactivepool.acquired").tag("pool", pool).functionCounter().count()).isEqualTo(3.0);

        provider.disposeWhen(address);

        assertThat(registry.find("reactivepool.total").tag("pool", pool).gauge()).isNull();
    }
}
