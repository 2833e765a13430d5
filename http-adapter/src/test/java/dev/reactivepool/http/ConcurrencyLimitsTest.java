package dev.reactivepool.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import dev.reactivepool.PoolMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

class ConcurrencyLimitsTest {

    @RegisterExtension
    final LoopbackHttp http = new LoopbackHttp();

    @Test
    void hundredConcurrentRequestsRespectMaxConnectionsThenMaxIdle() {
        // Each response takes 20 ms so that the 100 requests overlap and queue for connections.
        http.serve(server -> server
                .handle((req, res) -> res.sendString(Mono.delay(Duration.ofMillis(20)).thenReturn("ok"))));
        ReactivePoolConnectionProvider provider = http.provide(ReactivePoolConnectionProvider.builder("limits")
                .maxConnections(10)
                .maxIdle(3)
                .pendingAcquireMaxCount(-1));
        HttpClient client = http.client();

        List<String> bodies = Flux.range(0, 100)
                .flatMap(i -> client.get().uri("/").responseContent().aggregate().asString(), 100)
                .collectList()
                .block(Duration.ofSeconds(60));

        assertThat(bodies).hasSize(100).containsOnly("ok");
        assertThat(http.stats.maxOpen.get()).as("connections open at once on the server; %s", http.stats)
                .isBetween(2, 10);
        PoolAwait.awaitQuiet(provider);
        // The idle cap closed every connection beyond 3 as it was returned.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PoolMetrics m = PoolAwait.only(provider);
            assertThat(m.idle()).isLessThanOrEqualTo(3);
            assertThat(m.total()).isEqualTo(m.idle());
            assertThat(http.stats.open.get()).as("connections still open on the server; %s", http.stats)
                    .isEqualTo(m.idle());
        });
        PoolMetrics m = PoolAwait.only(provider);
        assertThat(m.acquired()).isEqualTo(100);
        assertThat(m.created()).isEqualTo(http.stats.opened.get());
        assertThat(m.destroyed()).isEqualTo(m.created() - m.idle());
    }
}
