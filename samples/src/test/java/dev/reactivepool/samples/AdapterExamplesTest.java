package dev.reactivepool.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import dev.reactivepool.r2dbc.PooledConnectionFactory;
import io.r2dbc.spi.Closeable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** Runs the documentation's adapter examples, mirrored in {@link R2dbcAdapterExamples} and {@link HttpAdapterExample}. */
class AdapterExamplesTest {

    @Test
    void theR2dbcExamplesQueryThroughTheirPools() {
        try (DemoDatabase database = DemoDatabase.embedded(100)) {
            R2dbcAdapterExamples.Example<String> inCode = R2dbcAdapterExamples.inCode(database.port());
            R2dbcAdapterExamples.Example<Integer> byUrl = R2dbcAdapterExamples.byUrl(database.port());
            try {
                List<String> databases = inCode.query().collectList().block(Duration.ofSeconds(30));
                List<Integer> one = byUrl.query().collectList().block(Duration.ofSeconds(30));

                assertThat(databases).contains("postgres", "template1");
                assertThat(one).containsExactly(1);
                // Both are reactive-pool's pooling factory, the second found by its URL.
                assertThat(inCode.pool()).isInstanceOf(PooledConnectionFactory.class);
                assertThat(byUrl.pool()).isInstanceOf(PooledConnectionFactory.class);
                assertThat(((PooledConnectionFactory) byUrl.pool()).metrics().maxSize()).isEqualTo(20);
                assertThat(((PooledConnectionFactory) byUrl.pool()).metrics().acquired()).isEqualTo(1);
            } finally {
                Mono.from(((Closeable) inCode.pool()).close())
                        .then(Mono.from(((Closeable) byUrl.pool()).close()))
                        .block(Duration.ofSeconds(30));
            }
        }
    }

    @Test
    void theHttpExampleGetsTheAnswerThroughItsProvider() {
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.get("/hello", (request, response) -> response.sendString(Mono.just("hello"))))
                .bindNow();
        try {
            assertThat(HttpAdapterExample.run("http://127.0.0.1:" + server.port())).isEqualTo("hello");
        } finally {
            server.disposeNow();
        }
    }
}
