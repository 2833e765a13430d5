package dev.reactivepool.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import dev.reactivepool.PoolMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

class ConnectionCloseTest {

    @RegisterExtension
    final LoopbackHttp http = new LoopbackHttp();

    @Test
    void connectionCloseResponsesAreNotPooled() {
        http.serve(server -> server
                .handle((req, res) -> res.header("Connection", "close").sendString(Mono.just("bye"))));
        ReactivePoolConnectionProvider provider = http.provide(
                ReactivePoolConnectionProvider.builder("close").maxConnections(4));
        HttpClient client = http.client();

        for (int i = 0; i < 5; i++) {
            String body = client.get().uri("/").responseContent().aggregate().asString().block(Duration.ofSeconds(10));
            assertThat(body).isEqualTo("bye");
            PoolAwait.awaitQuiet(provider);
        }

        assertThat(http.stats.opened).as("one connection per request").hasValue(5);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PoolMetrics m = PoolAwait.only(provider);
            assertThat(m.idle()).isZero();
            assertThat(m.total()).isZero();
            assertThat(m.created()).isEqualTo(5);
            assertThat(m.destroyed()).isEqualTo(5);
            assertThat(http.stats.open).hasValue(0);
        });
    }
}
