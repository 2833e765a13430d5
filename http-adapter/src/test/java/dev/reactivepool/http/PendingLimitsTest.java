package dev.reactivepool.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import dev.reactivepool.AcquireTimeoutException;
import dev.reactivepool.PoolExhaustedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

class PendingLimitsTest {

    @RegisterExtension
    final LoopbackHttp http = new LoopbackHttp();

    private void startSlowServer(Duration delay) {
        http.serve(server -> server.handle((req, res) -> res.sendString(Mono.delay(delay).thenReturn("slow"))));
    }

    @Test
    void pendingLimitFailsAtOnceWithAClearError() {
        startSlowServer(Duration.ofMillis(500));
        ReactivePoolConnectionProvider provider = http.provide(ReactivePoolConnectionProvider.builder("pending-limit")
                .maxConnections(1)
                .pendingAcquireMaxCount(1));
        HttpClient client = http.client();

        // One request holds the connection, one waits, the third is refused.
        List<Object> outcomes = Flux.range(0, 3)
                .flatMap(i -> client.get().uri("/").responseContent().aggregate().asString()
                        .<Object>map(body -> body)
                        .onErrorResume(e -> Mono.just(e)), 3)
                .collectList()
                .block(Duration.ofSeconds(10));

        assertThat(outcomes).filteredOn("slow"::equals).hasSize(2);
        assertThat(outcomes).filteredOn(PoolExhaustedException.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((Throwable) e).getMessage())
                        .contains("pending-limit[")
                        .contains("maxPending=1")
                        .contains("maxSize=1"));
        assertThat(PoolAwait.only(provider).rejections()).isEqualTo(1);
    }

    @Test
    void pendingTimeoutFailsWithAClearError() {
        startSlowServer(Duration.ofSeconds(2));
        ReactivePoolConnectionProvider provider = http.provide(ReactivePoolConnectionProvider.builder("pending-timeout")
                .maxConnections(1)
                .pendingAcquireTimeout(Duration.ofMillis(200)));
        HttpClient client = http.client();

        List<Object> outcomes = Flux.range(0, 2)
                .flatMap(i -> client.get().uri("/").responseContent().aggregate().asString()
                        .<Object>map(body -> body)
                        .onErrorResume(e -> Mono.just(e)), 2)
                .collectList()
                .block(Duration.ofSeconds(10));

        assertThat(outcomes).filteredOn("slow"::equals).hasSize(1);
        assertThat(outcomes).filteredOn(AcquireTimeoutException.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((Throwable) e).getMessage()).contains("pending-timeout[").contains("maxSize=1"));
        assertThat(PoolAwait.only(provider).acquireTimeouts()).isEqualTo(1);
    }
}
