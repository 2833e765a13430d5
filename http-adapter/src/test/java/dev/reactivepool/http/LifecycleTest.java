package dev.reactivepool.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.reactivepool.PoolMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;
import reactor.util.context.Context;

/** The channel lifecycle beyond the happy path, context propagation and disposal. */
class LifecycleTest {

    @RegisterExtension
    final LoopbackHttp http = new LoopbackHttp();

    private final List<Channel> serverChannels = new CopyOnWriteArrayList<>();
    private ReactivePoolConnectionProvider provider;
    private HttpClient client;

    private void start(ReactivePoolConnectionProvider.Builder builder) {
        http.serve(server -> server
                .doOnChannelInit((observer, channel, address) -> serverChannels.add(channel))
                .route(routes -> routes
                        .get("/ok", (req, res) -> res.sendString(Mono.just("ok")))
                        .get("/echo", (req, res) -> res.sendString(
                                Mono.just(String.valueOf(req.requestHeaders().get("x-request-id")))))
                        .get("/slow", (req, res) -> res.sendString(
                                Mono.delay(Duration.ofMillis(300)).thenReturn("slow")))
                        .get("/abort", (req, res) -> res.withConnection(c -> c.channel().close()).then())
                        // Answers, then writes stray bytes on the idle connection 50 ms later.
                        .get("/stray", (req, res) -> res.withConnection(this::writeStrayBytesLater)
                                .sendString(Mono.just("ok")))));
        provider = http.provide(builder);
        client = http.client();
    }

    private void writeStrayBytesLater(reactor.netty.Connection connection) {
        Channel channel = connection.channel();
        // Written at the head of the pipeline, below the HTTP encoder, as a broken server might.
        channel.eventLoop().schedule(() -> {
            channel.pipeline().firstContext().writeAndFlush(
                    Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\n", StandardCharsets.US_ASCII));
        }, 50, TimeUnit.MILLISECONDS);
    }

    private String get(String path) {
        return client.get().uri(path).responseContent().aggregate().asString().block(Duration.ofSeconds(10));
    }

    @Test
    void idleConnectionClosedByTheServerIsReplacedTransparently() {
        start(ReactivePoolConnectionProvider.builder("dead-idle"));
        assertThat(get("/ok")).isEqualTo("ok");
        PoolAwait.awaitQuiet(provider);
        // The server closes the idle connection; the client's pool still holds it.
        serverChannels.forEach(Channel::close);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(http.stats.open).hasValue(0));

        assertThat(get("/ok")).isEqualTo("ok");

        PoolMetrics m = PoolAwait.only(provider);
        assertThat(http.stats.opened).hasValue(2);
        assertThat(m.validationFailures()).isEqualTo(1);
        assertThat(m.created()).isEqualTo(2);
    }

    @Test
    void idleConnectionThatReceivedBytesIsNotReused() {
        start(ReactivePoolConnectionProvider.builder("stray").maxConnections(1));
        // Sees the raw bytes the client's connections receive.
        java.util.concurrent.atomic.AtomicBoolean strayReceived = new java.util.concurrent.atomic.AtomicBoolean();
        client = client.doOnChannelInit((observer, channel, address) -> channel.pipeline().addFirst(
                new io.netty.channel.ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                        if (msg instanceof io.netty.buffer.ByteBuf buf
                                && buf.toString(StandardCharsets.US_ASCII).equals("HTTP/1.1 200 OK\r\n")) {
                            strayReceived.set(true);
                        }
                        ctx.fireChannelRead(msg);
                    }
                }));
        assertThat(get("/stray")).isEqualTo("ok");
        PoolAwait.awaitQuiet(provider);
        await().atMost(Duration.ofSeconds(10)).untilTrue(strayReceived);

        assertThat(get("/ok")).isEqualTo("ok");

        PoolMetrics m = PoolAwait.only(provider);
        assertThat(m.validationFailures()).as("the dirty connection was refused; %s", m).isEqualTo(1);
        assertThat(m.created()).isEqualTo(2);
        assertThat(http.stats.opened).hasValue(2);
    }

    @Test
    void connectionsPastTheirLifetimeAreClosedAndReplaced() {
        start(ReactivePoolConnectionProvider.builder("lifetime")
                .maxLifeTime(Duration.ofMillis(300), Duration.ofMillis(100))
                .evictInBackground(Duration.ofMillis(20)));
        assertThat(get("/ok")).isEqualTo("ok");
        PoolAwait.awaitQuiet(provider);
        // The background eviction closes the idle connection once it is past its lifetime.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(PoolAwait.only(provider).evicted()).isEqualTo(1);
            assertThat(http.stats.open).hasValue(0);
        });

        assertThat(get("/ok")).isEqualTo("ok");
        assertThat(http.stats.opened).hasValue(2);
    }

    @Test
    void connectionClosedWhileLeasedIsInvalidated() {
        start(ReactivePoolConnectionProvider.builder("closed-leased").maxConnections(1));
        assertThatThrownBy(() -> get("/abort")).hasCauseInstanceOf(PrematureCloseException.class);
        PoolAwait.awaitQuiet(provider);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PoolMetrics m = PoolAwait.only(provider);
            assertThat(m.total()).isZero();
            assertThat(m.destroyed()).isEqualTo(1);
        });
        // Its place was freed: with maxConnections 1 the next request still gets a connection.
        assertThat(get("/ok")).isEqualTo("ok");
    }

    @Test
    void reactorContextReachesTheRequestOnNewAndReusedConnections() {
        start(ReactivePoolConnectionProvider.builder("context").maxConnections(1));
        // The request reads the subscriber's context (through the connection's observer chain)
        // and sends it as a header, which the server echoes.
        HttpClient propagating = client.doOnRequest((req, conn) -> req.header("x-request-id",
                req.currentContextView().getOrDefault("request-id", "missing")));
        for (String id : List.of("first", "second", "third")) {
            String echoed = propagating.get().uri("/echo").responseContent().aggregate().asString()
                    .contextWrite(Context.of("request-id", id))
                    .block(Duration.ofSeconds(10));
            assertThat(echoed).isEqualTo(id);
            PoolAwait.awaitQuiet(provider);
        }
        // One new connection, then two reuses.
        assertThat(PoolAwait.only(provider).created()).isEqualTo(1);
        assertThat(PoolAwait.only(provider).acquired()).isEqualTo(3);
    }

    @Test
    void disposeWhenClosesOneHostsPool() {
        start(ReactivePoolConnectionProvider.builder("dispose-when"));
        assertThat(get("/ok")).isEqualTo("ok");
        PoolAwait.awaitQuiet(provider);
        assertThat(provider.poolCount()).isEqualTo(1);

        provider.disposeWhen(new InetSocketAddress("127.0.0.1", http.server().port()));

        assertThat(provider.poolCount()).isZero();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(http.stats.open).hasValue(0));
        assertThat(provider.isDisposed()).isFalse();
        assertThat(get("/ok")).isEqualTo("ok");
        assertThat(http.stats.opened).hasValue(2);
    }

    @Test
    void disposeLaterClosesEverythingAndLaterRequestsFailClearly() {
        start(ReactivePoolConnectionProvider.builder("dispose-later"));
        assertThat(get("/ok")).isEqualTo("ok");
        PoolAwait.awaitQuiet(provider);

        provider.disposeLater().block(Duration.ofSeconds(10));

        assertThat(provider.isDisposed()).isTrue();
        assertThat(provider.poolCount()).isZero();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(http.stats.open).hasValue(0));
        assertThatThrownBy(() -> get("/ok"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ConnectionProvider 'dispose-later' is disposed");
    }

    @Test
    void disposeDoesNotWaitAndALeasedConnectionClosesWhenItsRequestEnds() throws Exception {
        start(ReactivePoolConnectionProvider.builder("dispose"));
        java.util.concurrent.CompletableFuture<String> inFlight =
                client.get().uri("/slow").responseContent().aggregate().asString().toFuture();
        await().atMost(Duration.ofSeconds(10)).until(() -> PoolAwait.only(provider).leased() == 1);

        provider.dispose();

        assertThat(provider.isDisposed()).isTrue();
        assertThat(inFlight.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("slow");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(http.stats.open).hasValue(0));
        assertThat(http.stats.opened).hasValue(1);
    }
}
