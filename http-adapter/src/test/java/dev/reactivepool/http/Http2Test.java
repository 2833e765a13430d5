package dev.reactivepool.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import dev.reactivepool.PoolMetrics;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * HTTP/2 through the provider: HttpClient's own HTTP/2 pool sits in front of it and uses it to open
 * connections, which stay leased from the host pool while HTTP/2 multiplexes streams on them.
 */
class Http2Test {

    @RegisterExtension
    final LoopbackHttp http = new LoopbackHttp();

    private static HttpServer versionEcho(HttpServer server) {
        return server.handle((req, res) -> res.sendString(Mono.just(req.version().text())));
    }

    private void assertHttp2Requests(HttpClient client) {
        List<String> versions = Flux.range(0, 20)
                .flatMap(i -> client.get().uri("/").responseSingle((res, body) -> body.asString()
                        .map(text -> res.version().text() + " " + text)), 10)
                .collectList()
                .block(Duration.ofSeconds(30));
        assertThat(versions).hasSize(20).containsOnly("HTTP/2.0 HTTP/2.0");
        ReactivePoolConnectionProvider provider = http.provider();
        PoolMetrics m = PoolAwait.only(provider);
        System.out.printf("h2: server[%s] pool[created=%d, leased=%d, idle=%d]%n", http.stats, m.created(),
                m.leased(), m.idle());
        // Streams are multiplexed: far fewer connections than requests, all opened through the pool.
        assertThat(http.stats.opened.get()).isBetween(1, 2);
        assertThat(m.created()).isEqualTo(http.stats.opened.get());
        assertThat(m.total()).isLessThanOrEqualTo(2);

        // Disposing the provider closes the connections HttpClient's HTTP/2 pool holds.
        provider.disposeLater().block(Duration.ofSeconds(10));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(http.stats.open).hasValue(0));
    }

    @Test
    void h2cRequestsSucceedThroughTheProvider() {
        http.serve(server -> versionEcho(server).protocol(HttpProtocol.H2C));
        http.provide(ReactivePoolConnectionProvider.builder("h2c").maxConnections(2));
        HttpClient client = http.client().protocol(HttpProtocol.H2C);

        assertHttp2Requests(client);
    }

    @Test
    void h2OverTlsRequestsSucceedThroughTheProvider() throws Exception {
        SslContext serverContext = TestCertificates.http2Server();
        SslContext clientContext = Http2SslContextSpec.forClient()
                .configure(builder -> builder.trustManager(InsecureTrustManagerFactory.INSTANCE)).sslContext();
        http.serve(server -> versionEcho(server).protocol(HttpProtocol.H2)
                .secure(spec -> spec.sslContext(serverContext)));
        http.provide(ReactivePoolConnectionProvider.builder("h2").maxConnections(2));
        HttpClient client = http.client().protocol(HttpProtocol.H2)
                .secure(spec -> spec.sslContext(clientContext));

        assertHttp2Requests(client);
    }
}
