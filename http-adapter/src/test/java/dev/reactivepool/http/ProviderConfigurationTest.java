package dev.reactivepool.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.UnaryOperator;

import dev.reactivepool.InvalidPoolConfigurationException;
import dev.reactivepool.PoolMetrics;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** Options: validation, per-host overrides, what Reactor Netty's HTTP/2 layer reads, the pool bound. */
class ProviderConfigurationTest {

    @RegisterExtension
    final LoopbackHttp http = new LoopbackHttp();

    private static void assertRejected(UnaryOperator<ReactivePoolConnectionProvider.Builder> configure, String option,
                                       String message) {
        assertThatThrownBy(() -> configure.apply(ReactivePoolConnectionProvider.builder("bad")).build())
                .isInstanceOf(InvalidPoolConfigurationException.class)
                .hasMessageContaining("'" + option + "'")
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((InvalidPoolConfigurationException) e).option()).isEqualTo(option));
    }

    @Test
    void badOptionsFailClearlyNamingTheOptionAndRange() {
        assertRejected(b -> b.maxConnections(0), "maxConnections", "at least 1 and at most 100000, was 0");
        assertRejected(b -> b.maxConnections(4).maxIdle(5), "maxIdle", "between 0 and maxConnections (4), was 5");
        assertRejected(b -> b.pendingAcquireMaxCount(-2), "pendingAcquireMaxCount", "was -2");
        assertRejected(b -> b.pendingAcquireTimeout(Duration.ZERO), "pendingAcquireTimeout", "positive");
        assertRejected(b -> b.maxIdleTime(Duration.ofSeconds(-1)), "maxIdleTime", "zero (disabled) or a positive");
        assertRejected(b -> b.maxLifeTime(Duration.ofSeconds(10), Duration.ofSeconds(10)), "maxLifeTime jitter",
                "less than maxLifeTime");
        assertRejected(b -> b.evictInBackground(Duration.ZERO), "evictInBackground", "at least 1 ms");
        assertRejected(b -> b.maxConnectionPools(0), "maxConnectionPools", "at least 1");
        assertRejected(b -> b.lifo().connectionAffinity(true), "connectionAffinity", "false while idleOrder is LIFO");
        assertRejected(b -> b.connectionAffinity(true).forRemoteHost(new InetSocketAddress("example.org", 443),
                HostPoolSpec::lifo), "connectionAffinity", "was true (in forRemoteHost(example.org");
        assertRejected(b -> b.forRemoteHost(new InetSocketAddress("example.org", 443), spec -> spec.maxConnections(-1)),
                "maxConnections", "was -1 (in forRemoteHost(example.org");
        assertThatThrownBy(() -> ReactivePoolConnectionProvider.builder(" ").build())
                .isInstanceOf(InvalidPoolConfigurationException.class).hasMessageContaining("'name'");
    }

    @Test
    void reactorNettyHttp2LayerSeesPositiveLimitsAndAMirroringBuilder() {
        InetSocketAddress special = InetSocketAddress.createUnresolved("special.example", 8443);
        ReactivePoolConnectionProvider provider = http.provide(ReactivePoolConnectionProvider.builder("described")
                .maxConnections(7)
                .maxIdleTime(Duration.ofSeconds(5))
                .forRemoteHost(special, spec -> spec.maxConnections(3)));

        assertThat(provider.maxConnections()).isEqualTo(7);
        assertThat(provider.maxConnectionsPerHost()).containsEntry(special, 3).hasSize(1);
        assertThat(provider.name()).isEqualTo("described");
        ConnectionProvider.Builder mutated = provider.mutate();
        assertThat(mutated).isNotNull();
        ConnectionProvider mirror = mutated.build();
        try {
            assertThat(mirror.maxConnections()).isEqualTo(7);
            assertThat(mirror.maxConnectionsPerHost()).containsEntry(special, 3);
        }
        finally {
            mirror.dispose();
        }
    }

    @Test
    void perHostOverridesApplyToThatHostOnly() {
        http.serve(server -> server
                .handle((req, res) -> res.sendString(Mono.just("ok"))));
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", http.server().port());
        ReactivePoolConnectionProvider provider = http.provide(ReactivePoolConnectionProvider.builder("per-host")
                .maxConnections(10)
                .forRemoteHost(address, spec -> spec.maxConnections(2).maxIdle(1).lifo()));
        HttpClient client = http.client();

        assertThat(client.get().uri("/").responseContent().aggregate().asString().block(Duration.ofSeconds(10)))
                .isEqualTo("ok");

        PoolMetrics m = PoolAwait.only(provider);
        assertThat(m.maxSize()).isEqualTo(2);
        assertThat(m.maxIdle()).isEqualTo(1);
        assertThat(provider.metricsPerHost()).containsKey(address);
        assertThat(m.name()).isEqualTo("per-host[" + address + "]");
    }

    @Test
    void fifoRotatesIdleConnectionsAndLifoReusesTheMostRecent() {
        http.serve(server -> server
                .route(routes -> routes
                        .get("/port", (req, res) -> res.sendString(Mono.just(
                                String.valueOf(((InetSocketAddress) req.remoteAddress()).getPort()))))
                        .get("/slow", (req, res) -> res.sendString(
                                Mono.delay(Duration.ofMillis(200)).thenReturn("slow")))));
        // FIFO by default, and with connectionAffinity off explicitly (the default too).
        for (ReactivePoolConnectionProvider.Builder fifo : java.util.List.of(
                ReactivePoolConnectionProvider.builder("fifo").fifo(),
                ReactivePoolConnectionProvider.builder("fifo-default"),
                ReactivePoolConnectionProvider.builder("fifo-no-affinity").fifo().connectionAffinity(false))) {
            assertThat(portsOfSequentialRequests(fifo))
                    .as("FIFO alternates between the two idle connections").satisfies(ports -> {
                        assertThat(ports.get(0)).isNotEqualTo(ports.get(1));
                        assertThat(ports.get(0)).isEqualTo(ports.get(2));
                        assertThat(ports.get(1)).isEqualTo(ports.get(3));
                    });
        }
        java.util.List<String> lifo = portsOfSequentialRequests(ReactivePoolConnectionProvider.builder("lifo").lifo());
        assertThat(lifo).as("LIFO keeps reusing the most recently returned connection").containsOnly(lifo.get(0));
    }

    /** Opens two connections, then makes four sequential requests and returns their client ports. */
    private java.util.List<String> portsOfSequentialRequests(ReactivePoolConnectionProvider.Builder builder) {
        ReactivePoolConnectionProvider p = builder.maxConnections(2).build();
        try {
            HttpClient client = HttpClient.create(p).host("127.0.0.1").port(http.server().port());
            reactor.core.publisher.Flux.range(0, 2)
                    .flatMap(i -> client.get().uri("/slow").responseContent().aggregate().asString())
                    .blockLast(Duration.ofSeconds(10));
            PoolAwait.awaitQuiet(p);
            assertThat(PoolAwait.only(p).idle()).isEqualTo(2);
            java.util.List<String> ports = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ports.add(client.get().uri("/port").responseContent().aggregate().asString()
                        .block(Duration.ofSeconds(10)));
                PoolAwait.awaitQuiet(p);
            }
            return ports;
        }
        finally {
            p.disposeLater().block(Duration.ofSeconds(10));
        }
    }

    /**
     * Reactor Netty issue #3315: an SslContext built per request gives every request a new
     * configuration hash, hence a new pool. The number of pools stays bounded: inactive ones are
     * retired.
     */
    @Test
    void poolsPerHostAreBoundedWhenTheConfigurationHashIsUnstable() throws Exception {
        SslContext serverContext = TestCertificates.http11Server();
        http.serve(server -> server
                .secure(spec -> spec.sslContext(serverContext))
                .handle((req, res) -> res.sendString(Mono.just("ok"))));
        ReactivePoolConnectionProvider provider = http.provide(
                ReactivePoolConnectionProvider.builder("bounded").maxConnectionPools(3));

        for (int i = 0; i < 12; i++) {
            SslContext perRequest = SslContextBuilder.forClient()
                    .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
            HttpClient client = http.client()
                    .secure(spec -> spec.sslContext(perRequest));
            assertThat(client.get().uri("/").responseContent().aggregate().asString().block(Duration.ofSeconds(10)))
                    .isEqualTo("ok");
            PoolAwait.awaitQuiet(provider);
            assertThat(provider.poolCount()).isLessThanOrEqualTo(3);
        }
        assertThat(http.stats.opened).as("one connection per distinct configuration").hasValue(12);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(http.stats.open.get()).isLessThanOrEqualTo(3));
    }

    @Test
    void aNewPoolFailsClearlyWhenTheLimitIsReachedAndAllPoolsAreBusy() throws Exception {
        http.serve(server -> server
                .handle((req, res) -> res.sendString(Mono.delay(Duration.ofMillis(500)).thenReturn("ok"))));
        ReactivePoolConnectionProvider provider = http.provide(
                ReactivePoolConnectionProvider.builder("full").maxConnectionPools(1));
        HttpClient first = http.client();
        // "localhost" is another remote address, hence another pool.
        HttpClient second = HttpClient.create(provider).host("localhost").port(http.server().port());

        java.util.concurrent.CompletableFuture<String> busy =
                first.get().uri("/").responseContent().aggregate().asString().toFuture();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> !PoolAwait.isQuiet(provider));

        assertThatThrownBy(() -> second.get().uri("/").responseContent().aggregate().asString()
                .block(Duration.ofSeconds(10)))
                .isInstanceOf(HostPoolLimitException.class)
                .hasMessageContaining("ConnectionProvider 'full'")
                .hasMessageContaining("1 per-host pools (maxConnectionPools)");
        assertThat(busy.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("ok");
    }
}
