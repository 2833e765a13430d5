package dev.reactivepool.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

class ConnectionProviderMeterBinderTest {

    @RegisterExtension
    final LoopbackHttp http = new LoopbackHttp();

    @Test
    void perHostPoolsAppearAsMetersAndDisappearWhenClosed() {
        http.serve(server -> server.handle((req, res) -> res.sendString(Mono.just("ok"))));
        ReactivePoolConnectionProvider provider = http.provide(ReactivePoolConnectionProvider.builder("metered"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ConnectionProviderMeterBinder(provider).bindTo(registry);
        HttpClient client = http.client();

        for (int i = 0; i < 3; i++) {
            assertThat(client.get().uri("/").responseContent().aggregate().asString().block(Duration.ofSeconds(10)))
                    .isEqualTo("ok");
            PoolAwait.awaitQuiet(provider);
        }

        InetSocketAddress address = new InetSocketAddress("127.0.0.1", http.server().port());
        String pool = "metered[" + address + "]";
        assertThat(registry.get("reactivepool.total").tag("pool", pool).tag("remote.address", address.toString())
                .gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("reactivepool.idle").tag("pool", pool).gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("reactivepool.acquired").tag("pool", pool).functionCounter().count()).isEqualTo(3.0);

        provider.disposeWhen(address);

        assertThat(registry.find("reactivepool.total").tag("pool", pool).gauge()).isNull();
    }
}
