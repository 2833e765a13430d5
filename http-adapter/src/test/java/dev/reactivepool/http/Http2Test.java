package dev.reactivepool.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import dev.reactivepool.PoolMetrics;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * HTTP/2 through the provider: HttpClient's own HTTP/2 pool sits in front of it and uses it to open
 * connections, which stay leased from the host pool while HTTP/2 multiplexes streams on them.
 */
class Http2Test {

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

    private static HttpServer versionEchoServer() {
        return HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> res.sendString(Mono.just(req.version().text())));
    }

    private void assertHttp2Requests(HttpClient client) {
        List<String> versions = Flux.range(0, 20)
                .flatMap(i -> client.get().uri("/").responseSingle((res, body) -> body.asString()
                        .map(text -> res.version().text() + " " + text)), 10)
                .collectList()
                .block(Duration.ofSeconds(30));
        assertThat(versions).hasSize(20).containsOnly("HTTP/2.0 HTTP/2.0");
        PoolMetrics m = PoolAwait.only(provider);
        System.out.printf("h2: server[%s] pool[created=%d, leased=%d, idle=%d]%n", stats, m.created(), m.leased(),
                m.idle());
        // Streams are multiplexed: far fewer connections than requests, all opened through the pool.
        assertThat(stats.opened.get()).isBetween(1, 2);
        assertThat(m.created()).isEqualTo(stats.opened.get());
        assertThat(m.total()).isLessThanOrEqualTo(2);

        // Disposing the provider closes the connections HttpClient's HTTP/2 pool holds.
        provider.disposeLater().block(Duration.ofSeconds(10));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(stats.open).hasValue(0));
    }

    @Test
    void h2cRequestsSucceedThroughTheProvider() {
        server = stats.instrument(versionEchoServer().protocol(HttpProtocol.H2C)).bindNow();
        provider = ReactivePoolConnectionProvider.builder("h2c").maxConnections(2).build();
        HttpClient client = HttpClient.create(provider).protocol(HttpProtocol.H2C)
                .host("127.0.0.1").port(server.port());

        assertHttp2Requests(client);
    }

    @Test
    void h2OverTlsRequestsSucceedThroughTheProvider() throws Exception {
        SslContext serverContext = TestCertificates.http2Server();
        SslContext clientContext = Http2SslContextSpec.forClient()
                .configure(builder -> builder.trustManager(InsecureTrustManagerFactory.INSTANCE)).sslContext();
        server = stats.instrument(versionEchoServer().protocol(HttpProtocol.H2)
                .secure(spec -> spec.sslContext(serverContext)))
                .bindNow();
        provider = ReactivePoolConnectionProvider.builder("h2").maxConnections(2).build();
        HttpClient client = HttpClient.create(provider).protocol(HttpProtocol.H2)
                .secure(spec -> spec.sslContext(clientContext))
                .host("127.0.0.1").port(server.port());

        assertHttp2Requests(client);
    }
}
