package dev.reactivepool.reliability;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.tcp.TcpClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The proxy itself, exercised with a Reactor Netty HTTP server and Reactor Netty's own pooled
 * client: every fault does what {@link Fault} says, can be switched while connections are open,
 * and traffic recovers when it ends.
 */
class FaultProxyTest {

    private final AtomicInteger requestsSeen = new AtomicInteger();
    private DisposableServer server;
    private FaultProxy proxy;
    private ConnectionProvider connections;
    private HttpClient client;
    private HttpClient unpooled;

    @BeforeEach
    void start() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> {
                    requestsSeen.incrementAndGet();
                    return res.sendString(Mono.just("pong"));
                })
                .bindNow();
        proxy = FaultProxy.start("self-test", "127.0.0.1", server.port());
        connections = ConnectionProvider.create("proxy-self-test", 4);
        client = HttpClient.create(connections).host("127.0.0.1").port(proxy.port());
        unpooled = HttpClient.newConnection().host("127.0.0.1").port(proxy.port());
        // Warm the HTTP client's classes up, straight to the server, so that the first request
        // of a test is not slowed by class loading (the black-hole test times requests out).
        assertThat(get(HttpClient.newConnection().host("127.0.0.1").port(server.port())).block(Duration.ofSeconds(10)))
                .isEqualTo("pong");
        requestsSeen.set(0);
    }

    @AfterEach
    void stop() {
        connections.disposeLater().block(Duration.ofSeconds(10));
        proxy.close();
        server.disposeNow(Duration.ofSeconds(10));
    }

    private Mono<String> get(HttpClient through) {
        return through.get().uri("/").responseContent().aggregate().asString();
    }

    @Test
    void passesTrafficThroughAndCountsIt() {
        for (int i = 0; i < 20; i++) {
            assertThat(get(client).block(Duration.ofSeconds(10))).isEqualTo("pong");
        }
        FaultProxyStats stats = proxy.stats();
        assertThat(requestsSeen).hasValue(20);
        assertThat(stats.relayed()).isBetween(1L, 4L);
        assertThat(stats.bytesToServer()).isPositive();
        assertThat(stats.bytesToClient()).isPositive();
        assertThat(stats.cut()).isZero();
        assertThat(stats.bytesDropped()).isZero();
    }

    @Test
    void cutResetsOpenAndNewConnectionsUntilItEnds() {
        assertThat(get(client).block(Duration.ofSeconds(10))).isEqualTo("pong");
        assertThat(proxy.stats().open()).isEqualTo(1);

        proxy.inject(Fault.CUT);

        assertThat(proxy.stats().cut()).isGreaterThanOrEqualTo(1);
        assertThatThrownBy(() -> get(unpooled).block(Duration.ofSeconds(10)))
                .isNotInstanceOf(IllegalStateException.class);
        proxy.inject(Fault.NONE);
        assertThat(get(client).block(Duration.ofSeconds(10))).isEqualTo("pong");
        assertThat(proxy.stats().cut()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void blackHoleAcceptsAndNeverAnswersThenRecovers() {
        proxy.inject(Fault.BLACK_HOLE);

        assertThatThrownBy(() -> get(client).timeout(Duration.ofSeconds(1)).block(Duration.ofSeconds(10)))
                .hasCauseInstanceOf(TimeoutException.class);
        assertThat(requestsSeen).hasValue(0);
        assertThat(proxy.stats().blackHoled()).isGreaterThanOrEqualTo(1);
        assertThat(proxy.stats().accepted()).isGreaterThanOrEqualTo(1);

        proxy.inject(Fault.NONE);
        assertThat(get(client).block(Duration.ofSeconds(10))).isEqualTo("pong");
        assertThat(requestsSeen).hasValue(1);
    }

    @Test
    void blackHoleSilencesOpenConnectionsForGood() {
        assertThat(get(client).block(Duration.ofSeconds(10))).isEqualTo("pong");
        proxy.inject(Fault.BLACK_HOLE);
        assertThatThrownBy(() -> get(client).timeout(Duration.ofSeconds(1)).block(Duration.ofSeconds(10)))
                .hasCauseInstanceOf(TimeoutException.class);
        assertThat(proxy.stats().bytesDropped()).isPositive();
        proxy.inject(Fault.NONE);
        // The timed-out request's connection was closed by the client; a new one works.
        assertThat(get(client).block(Duration.ofSeconds(10))).isEqualTo("pong");
    }

    @Test
    void latencyDelaysEveryExchange() {
        assertThat(get(client).block(Duration.ofSeconds(10))).isEqualTo("pong");
        proxy.latency(Duration.ofMillis(300)).inject(Fault.LATENCY);

        long start = System.nanoTime();
        assertThat(get(client).block(Duration.ofSeconds(10))).isEqualTo("pong");
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        // Request and response are each delayed by 300 ms; only the lower bound is certain.
        assertThat(tookMillis).isGreaterThanOrEqualTo(600);
        assertThat(proxy.stats().chunksDelayed()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void refuseRejectsNewConnectionsButKeepsOpenOnes() {
        Connection open = TcpClient.newConnection().host("127.0.0.1").port(proxy.port()).connectNow(Duration.ofSeconds(10));
        // The client's connect completes in the kernel; wait until the proxy has accepted it, or
        // closing the listening socket would reset it in the accept backlog.
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.stats().open() == 1);
        proxy.inject(Fault.REFUSE);

        // The connection opened before still works (a raw HTTP/1.1 exchange on it).
        open.outbound().sendString(Mono.just("GET / HTTP/1.1\r\nHost: test\r\n\r\n")).then().block(Duration.ofSeconds(10));
        String response = open.inbound().receive().asString().scan(String::concat)
                .filter(text -> text.contains("pong")).next().block(Duration.ofSeconds(10));
        assertThat(response).startsWith("HTTP/1.1 200");
        open.disposeNow();
        // A new one is refused by the operating system.
        assertThatThrownBy(() -> get(unpooled).block(Duration.ofSeconds(10)))
                .hasRootCauseInstanceOf(ConnectException.class);

        proxy.inject(Fault.NONE);
        assertThat(get(unpooled).block(Duration.ofSeconds(10))).isEqualTo("pong");
        assertThat(proxy.stats().faultsInjected()).isEqualTo(1);
    }

    @Test
    void rejectsNegativeLatency() {
        assertThatThrownBy(() -> proxy.latency(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("latency");
    }
}
