package dev.reactivepool.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.reactivepool.PoolMetrics;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * {@code connectionAffinity}: a request made on an event loop gets an idle connection of that
 * loop before one idle longer on another loop; with the option off, strict FIFO; a loop without
 * an idle connection of its own takes another loop's rather than opening one.
 *
 * <p>The client runs on two event loops of its own; connections opened from the test thread are
 * spread over them in turn. The server answers {@code /port} with the client's port, which tells
 * the connection (and, through {@link #loopOfPort}, its event loop) a request used.
 */
class ConnectionAffinityTest {

    private final ServerStats stats = new ServerStats();
    private final LoopResources clientLoops = LoopResources.create("affinity-client", 2, true);
    private final LoopResources serverLoops = LoopResources.create("affinity-server", 1, true);
    /** The event loop of each client connection, by its local port. */
    private final Map<String, EventLoop> loopOfPort = new ConcurrentHashMap<>();
    /** Opened by the test to let the {@code /hold} response go. */
    private final Sinks.Empty<Void> holdGate = Sinks.empty();
    private DisposableServer server;
    private ReactivePoolConnectionProvider provider;

    @AfterEach
    void tearDown() {
        holdGate.tryEmitEmpty();
        if (provider != null) {
            provider.disposeLater().block(Duration.ofSeconds(10));
        }
        if (server != null) {
            server.disposeNow(Duration.ofSeconds(10));
        }
        clientLoops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
        serverLoops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
    }

    @Test
    void aRequestOnAnEventLoopGetsThatLoopsIdleConnectionThoughAnotherWasIdleLonger() throws Exception {
        Ports ports = twoIdleConnectionsOnTwoLoops(ReactivePoolConnectionProvider.builder("affinity")
                .connectionAffinity(true));

        String port = getOn(loopOfPort.get(ports.newer()), "/port");

        assertThat(port).as("the connection of the request's own loop, idle for less time").isEqualTo(ports.newer());
        assertThat(stats.opened).as("no connection opened").hasValue(2);
    }

    @Test
    void withoutAffinityARequestOnAnEventLoopGetsTheConnectionIdleLongestStrictFifo() throws Exception {
        Ports ports = twoIdleConnectionsOnTwoLoops(ReactivePoolConnectionProvider.builder("no-affinity")
                .connectionAffinity(false));

        String port = getOn(loopOfPort.get(ports.newer()), "/port");

        assertThat(port).as("the connection idle longest, of the other loop").isEqualTo(ports.older());
        assertThat(stats.opened).hasValue(2);
    }

    @Test
    void aLoopWithNoIdleConnectionOfItsOwnTakesAnotherLoopsInsteadOfOpeningOne() throws Exception {
        Ports ports = twoIdleConnectionsOnTwoLoops(ReactivePoolConnectionProvider.builder("stealing")
                .connectionAffinity(true)
                .maxConnections(3));
        EventLoop loop = loopOfPort.get(ports.newer());
        // The loop's own connection is taken by a request held by the server.
        CompletableFuture<String> held = requestOn(loop, "/hold");
        PoolAwait.awaitLeased(provider, 1);

        String port = getOn(loop, "/port");

        assertThat(port).as("the other loop's idle connection").isEqualTo(ports.older());
        holdGate.tryEmitEmpty();
        assertThat(held.get(10, TimeUnit.SECONDS)).as("the held request used the loop's own connection")
                .isEqualTo(ports.newer());
        PoolAwait.awaitQuiet(provider);
        PoolMetrics metrics = PoolAwait.only(provider);
        assertThat(metrics.created()).as("no connection opened while one was idle: %s", metrics).isEqualTo(2);
        assertThat(stats.opened).hasValue(2);
    }

    /** The ports of two idle connections on different event loops; {@code older} idle longer. */
    private record Ports(String older, String newer) {
    }

    /**
     * Builds the provider, opens two connections at once (one per client loop), then uses each
     * once more from the test thread, so that both have been released twice: the pool learns a
     * connection's event loop at its first release and files it under that loop from the next
     * one. Idle order at the end: {@code older}, then {@code newer}.
     */
    private Ports twoIdleConnectionsOnTwoLoops(ReactivePoolConnectionProvider.Builder builder) {
        server = stats.instrument(HttpServer.create().host("127.0.0.1").port(0)
                .runOn(serverLoops)
                .route(routes -> routes
                        .get("/port", (req, res) -> res.sendString(Mono.just(
                                String.valueOf(req.remoteAddress().getPort()))))
                        .get("/hold", (req, res) -> res.sendString(holdGate.asMono().then(Mono.just(
                                String.valueOf(req.remoteAddress().getPort()))))))).bindNow();
        provider = builder.build();

        Flux.range(0, 2).flatMap(i -> client().get().uri("/port").responseContent().aggregate().asString())
                .blockLast(Duration.ofSeconds(10));
        PoolAwait.awaitQuiet(provider);
        assertThat(PoolAwait.only(provider).created()).as("two connections").isEqualTo(2);
        String older = get("/port");
        PoolAwait.awaitQuiet(provider);
        String newer = get("/port");
        PoolAwait.awaitQuiet(provider);
        assertThat(newer).as("sequential requests alternate between the two idle connections").isNotEqualTo(older);
        assertThat(loopOfPort.get(older)).as("the two connections live on different event loops")
                .isNotNull().isNotSameAs(loopOfPort.get(newer));
        assertThat(PoolAwait.only(provider).idle()).isEqualTo(2);
        return new Ports(older, newer);
    }

    private HttpClient client() {
        return HttpClient.create(provider).runOn(clientLoops).host("127.0.0.1").port(server.port())
                .doOnConnected(connection -> loopOfPort.put(
                        String.valueOf(((InetSocketAddress) connection.channel().localAddress()).getPort()),
                        connection.channel().eventLoop()));
    }

    private String get(String uri) {
        return client().get().uri(uri).responseContent().aggregate().asString().block(Duration.ofSeconds(10));
    }

    /** Makes a request from a task on {@code loop}, so that the pool is asked on that loop's thread. */
    private CompletableFuture<String> requestOn(EventLoop loop, String uri) {
        CompletableFuture<String> result = new CompletableFuture<>();
        loop.execute(() -> client().get().uri(uri).responseContent().aggregate().asString()
                .subscribe(result::complete, result::completeExceptionally));
        return result;
    }

    private String getOn(EventLoop loop, String uri) throws Exception {
        return requestOn(loop, uri).get(10, TimeUnit.SECONDS);
    }
}
