package dev.reactivepool.http;

import java.time.Duration;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * The set-up most HTTP adapter tests share: a Reactor Netty server on 127.0.0.1 (an ephemeral
 * port) whose connections {@link #stats} counts, a provider under test, and a client of that
 * provider addressing the server. Registered with {@code @RegisterExtension}; after each test it
 * disposes the provider, then the server.
 */
final class LoopbackHttp implements AfterEachCallback {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /** The server's connections: accepted, closed, open now, most open at once. */
    final ServerStats stats = new ServerStats();
    private DisposableServer server;
    private ReactivePoolConnectionProvider provider;

    /**
     * Binds a server on 127.0.0.1, an ephemeral port, counting its connections in {@link #stats}.
     *
     * @param configure the test's handlers and settings, applied to {@code HttpServer.create()}
     * @return the bound server, disposed after the test
     */
    DisposableServer serve(UnaryOperator<HttpServer> configure) {
        server = stats.instrument(configure.apply(HttpServer.create().host("127.0.0.1").port(0))).bindNow();
        return server;
    }

    /**
     * Builds the provider under test.
     *
     * @param builder the provider's options
     * @return the provider, disposed after the test
     */
    ReactivePoolConnectionProvider provide(ReactivePoolConnectionProvider.Builder builder) {
        provider = builder.build();
        return provider;
    }

    /** @return a client of the provider addressing the server */
    HttpClient client() {
        return HttpClient.create(provider).host("127.0.0.1").port(server.port());
    }

    /** @return the server bound by {@link #serve} */
    DisposableServer server() {
        return server;
    }

    /** @return the provider built by {@link #provide} */
    ReactivePoolConnectionProvider provider() {
        return provider;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (provider != null) {
            provider.disposeLater().block(CLOSE_TIMEOUT);
        }
        if (server != null) {
            server.disposeNow(CLOSE_TIMEOUT);
        }
    }
}
