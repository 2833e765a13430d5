package dev.reactivepool.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import dev.reactivepool.InvalidPoolConfigurationException;
import dev.reactivepool.PoolMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Every option of the provider's builder, and of a {@code forRemoteHost} override, is checked at
 * {@code build()} with the core pool's ranges under the builder's own method name: a value past a
 * bound fails there, never at the first request with the core's option names; a value at a bound
 * builds a provider whose host pool works.
 */
class ProviderOptionRangesTest {

    private static final Duration DAYS_365 = Duration.ofDays(365);
    private static final Duration PAST_365 = DAYS_365.plusNanos(1);
    private static final Duration MINUS = Duration.ofMillis(-1);
    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
    private static final String POSITIVE = "a positive duration of at most 365 days";
    private static final String ZERO_OR_POSITIVE = "zero (disabled) or a positive duration of at most 365 days";
    private static final String AFFINITY_WITH_LIFO = "false while idleOrder is LIFO (affinity keeps each event"
            + " loop's idle connections in FIFO order)";
    private static final InetSocketAddress HOST = InetSocketAddress.createUnresolved("api.example", 443);

    @RegisterExtension
    final LoopbackHttp http = new LoopbackHttp();

    /** Options of {@link HostPoolSpec}: set on the builder, and in an override. */
    static Stream<Arguments> perHostOptionsPastTheirBounds() {
        return Stream.of(
                past("maxConnections(0)", s -> s.maxConnections(0), b -> b.maxConnections(0),
                        "maxConnections", "at least 1 and at most 100000", "0"),
                past("maxConnections(100_001)", s -> s.maxConnections(100_001), b -> b.maxConnections(100_001),
                        "maxConnections", "at least 1 and at most 100000", "100001"),
                past("maxConnections(200_000)", s -> s.maxConnections(200_000), b -> b.maxConnections(200_000),
                        "maxConnections", "at least 1 and at most 100000", "200000"),
                past("maxIdle(-1)", s -> s.maxIdle(-1), b -> b.maxIdle(-1),
                        "maxIdle", "between 0 and maxConnections (16)", "-1"),
                past("maxIdle above maxConnections", s -> s.maxConnections(4).maxIdle(5),
                        b -> b.maxConnections(4).maxIdle(5),
                        "maxIdle", "between 0 and maxConnections (4)", "5"),
                past("pendingAcquireMaxCount(-2)", s -> s.pendingAcquireMaxCount(-2), b -> b.pendingAcquireMaxCount(-2),
                        "pendingAcquireMaxCount", "at least 0 (0: never wait), or -1 for unbounded", "-2"),
                past("pendingAcquireTimeout(0)", s -> s.pendingAcquireTimeout(Duration.ZERO),
                        b -> b.pendingAcquireTimeout(Duration.ZERO),
                        "pendingAcquireTimeout", POSITIVE, "PT0S"),
                past("pendingAcquireTimeout(null)", s -> s.pendingAcquireTimeout(null),
                        b -> b.pendingAcquireTimeout(null),
                        "pendingAcquireTimeout", POSITIVE, "null"),
                past("pendingAcquireTimeout(400 days)", s -> s.pendingAcquireTimeout(Duration.ofDays(400)),
                        b -> b.pendingAcquireTimeout(Duration.ofDays(400)),
                        "pendingAcquireTimeout", POSITIVE, "PT9600H"),
                past("pendingAcquireTimeout(365 days + 1 ns)", s -> s.pendingAcquireTimeout(PAST_365),
                        b -> b.pendingAcquireTimeout(PAST_365),
                        "pendingAcquireTimeout", POSITIVE, PAST_365.toString()),
                past("maxIdleTime(-1 ms)", s -> s.maxIdleTime(MINUS), b -> b.maxIdleTime(MINUS),
                        "maxIdleTime", ZERO_OR_POSITIVE, "PT-0.001S"),
                past("maxIdleTime(365 days + 1 ns)", s -> s.maxIdleTime(PAST_365), b -> b.maxIdleTime(PAST_365),
                        "maxIdleTime", ZERO_OR_POSITIVE, PAST_365.toString()),
                past("maxLifeTime(-1 ms)", s -> s.maxLifeTime(MINUS, Duration.ZERO),
                        b -> b.maxLifeTime(MINUS, Duration.ZERO),
                        "maxLifeTime", ZERO_OR_POSITIVE, "PT-0.001S"),
                past("maxLifeTime(365 days + 1 ns)", s -> s.maxLifeTime(PAST_365, Duration.ZERO),
                        b -> b.maxLifeTime(PAST_365, Duration.ZERO),
                        "maxLifeTime", ZERO_OR_POSITIVE, PAST_365.toString()),
                past("maxLifeTime jitter negative", s -> s.maxLifeTime(TEN_SECONDS, MINUS),
                        b -> b.maxLifeTime(TEN_SECONDS, MINUS),
                        "maxLifeTime jitter", ZERO_OR_POSITIVE, "PT-0.001S"),
                past("maxLifeTime jitter null", s -> s.maxLifeTime(TEN_SECONDS, null),
                        b -> b.maxLifeTime(TEN_SECONDS, null),
                        "maxLifeTime jitter", ZERO_OR_POSITIVE, "null"),
                past("maxLifeTime jitter equal", s -> s.maxLifeTime(TEN_SECONDS, TEN_SECONDS),
                        b -> b.maxLifeTime(TEN_SECONDS, TEN_SECONDS),
                        "maxLifeTime jitter", "less than maxLifeTime (PT10S)", "PT10S"),
                past("connectionAffinity with lifo()", s -> s.lifo().connectionAffinity(true),
                        b -> b.lifo().connectionAffinity(true), "connectionAffinity", AFFINITY_WITH_LIFO, "true"),
                past("lifo() with connectionAffinity", s -> s.connectionAffinity(true).lifo(),
                        b -> b.connectionAffinity(true).lifo(), "connectionAffinity", AFFINITY_WITH_LIFO, "true"));
    }

    private static Arguments past(String description, UnaryOperator<HostPoolSpec> onSpec,
                                  UnaryOperator<ReactivePoolConnectionProvider.Builder> onBuilder, String option,
                                  String range, String value) {
        return Arguments.of(description, onSpec, onBuilder, option, range, value);
    }

    private static InvalidPoolConfigurationException buildFails(ReactivePoolConnectionProvider.Builder builder) {
        InvalidPoolConfigurationException error =
                catchThrowableOfType(InvalidPoolConfigurationException.class, builder::build);
        assertThat(error).as("build() must refuse the option").isNotNull();
        return error;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("perHostOptionsPastTheirBounds")
    void aPerHostOptionPastItsBoundFailsAtBuildUnderItsOwnName(
            String description, UnaryOperator<HostPoolSpec> onSpec,
            UnaryOperator<ReactivePoolConnectionProvider.Builder> onBuilder, String option, String range,
            String value) {
        InvalidPoolConfigurationException error = buildFails(onBuilder.apply(
                ReactivePoolConnectionProvider.builder("ranges")));

        assertThat(error.option()).isEqualTo(option);
        assertThat(error.allowedRange()).contains(range);
        assertThat(error.rejectedValue()).contains(value);
        assertThat(error).hasMessage("Invalid pool option '" + option + "': must be " + range + ", was " + value);
    }

    @ParameterizedTest(name = "forRemoteHost: {0}")
    @MethodSource("perHostOptionsPastTheirBounds")
    void anOverridePastItsBoundFailsAtBuildNamingTheOptionAndTheHost(
            String description, UnaryOperator<HostPoolSpec> onSpec,
            UnaryOperator<ReactivePoolConnectionProvider.Builder> onBuilder, String option, String range,
            String value) {
        ReactivePoolConnectionProvider.Builder builder = ReactivePoolConnectionProvider.builder("ranges")
                .forRemoteHost(HOST, onSpec::apply);

        InvalidPoolConfigurationException error = buildFails(builder);

        assertThat(error.option()).isEqualTo(option);
        assertThat(error.allowedRange()).contains(range);
        assertThat(error).hasMessage("Invalid pool option '" + option + "': must be " + range + ", was " + value
                + " (in forRemoteHost(" + HOST + "))");
    }

    static Stream<Arguments> providerOptionsPastTheirBounds() {
        return Stream.of(
                Arguments.of((UnaryOperator<ReactivePoolConnectionProvider.Builder>) b -> b.evictInBackground(
                        Duration.ZERO), "evictInBackground", "at least 1 ms and at most 365 days", "PT0S"),
                Arguments.of((UnaryOperator<ReactivePoolConnectionProvider.Builder>) b -> b.evictInBackground(
                        Duration.ofNanos(999_999)), "evictInBackground", "at least 1 ms and at most 365 days",
                        "PT0.000999999S"),
                Arguments.of((UnaryOperator<ReactivePoolConnectionProvider.Builder>) b -> b.evictInBackground(
                        PAST_365), "evictInBackground", "at least 1 ms and at most 365 days", PAST_365.toString()),
                Arguments.of((UnaryOperator<ReactivePoolConnectionProvider.Builder>) b -> b.disposeTimeout(
                        Duration.ofMillis(-1)), "disposeTimeout",
                        "zero (disabled) or a positive duration of at most 365 days", "PT-0.001S"),
                Arguments.of((UnaryOperator<ReactivePoolConnectionProvider.Builder>) b -> b.disposeTimeout(PAST_365),
                        "disposeTimeout", "zero (disabled) or a positive duration of at most 365 days",
                        PAST_365.toString()),
                Arguments.of((UnaryOperator<ReactivePoolConnectionProvider.Builder>) b -> b.maxConnectionPools(0),
                        "maxConnectionPools", "at least 1", "0"));
    }

    @ParameterizedTest(name = "{1} = {3}")
    @MethodSource("providerOptionsPastTheirBounds")
    void aProviderOptionPastItsBoundFailsAtBuildUnderItsOwnName(
            UnaryOperator<ReactivePoolConnectionProvider.Builder> set, String option, String range, String value) {
        InvalidPoolConfigurationException error = buildFails(set.apply(ReactivePoolConnectionProvider.builder("x")));

        assertThat(error.option()).isEqualTo(option);
        assertThat(error).hasMessage("Invalid pool option '" + option + "': must be " + range + ", was " + value);
    }

    @Test
    void aBlankNameFailsAtBuild() {
        InvalidPoolConfigurationException error = buildFails(ReactivePoolConnectionProvider.builder(" "));

        assertThat(error.option()).isEqualTo("name");
        assertThat(error.allowedRange()).contains("a non-blank string");
    }

    @Test
    void everyOptionAtItsBoundsBuildsAProviderWhoseHostPoolServesRequests() {
        http.serve(server -> server
                .handle((req, res) -> res.sendString(Mono.just("ok"))));
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", http.server().port());
        ReactivePoolConnectionProvider provider = http.provide(ReactivePoolConnectionProvider.builder("edges")
                .maxConnections(100_000)
                .maxIdle(0)
                .pendingAcquireMaxCount(0)
                .pendingAcquireTimeout(DAYS_365)
                .maxIdleTime(Duration.ZERO)
                .maxLifeTime(DAYS_365, DAYS_365.minusNanos(1))
                .evictInBackground(Duration.ofMillis(1))
                .disposeTimeout(Duration.ZERO)
                .maxConnectionPools(1)
                .connectionAffinity(false)
                .forRemoteHost(address, spec -> spec.maxConnections(1).maxIdle(1).pendingAcquireMaxCount(-1)
                        .maxIdleTime(DAYS_365).maxLifeTime(Duration.ZERO, Duration.ZERO).connectionAffinity(true)));
        HttpClient client = http.client();

        assertThat(client.get().uri("/").responseContent().aggregate().asString().block(Duration.ofSeconds(10)))
                .isEqualTo("ok");
        PoolMetrics metrics = PoolAwait.only(provider);
        assertThat(metrics.maxSize()).isEqualTo(1);
        assertThat(metrics.maxIdle()).isEqualTo(1);
    }

    @Test
    void theDefaultsAtTheUpperBoundsServeRequests() {
        http.serve(server -> server
                .handle((req, res) -> res.sendString(Mono.just("ok"))));
        ReactivePoolConnectionProvider provider = http.provide(ReactivePoolConnectionProvider.builder("upper")
                .maxConnections(100_000)
                .pendingAcquireTimeout(DAYS_365)
                .maxIdleTime(DAYS_365)
                .evictInBackground(DAYS_365)
                .disposeTimeout(DAYS_365));
        HttpClient client = http.client();

        assertThat(client.get().uri("/").responseContent().aggregate().asString().block(Duration.ofSeconds(10)))
                .isEqualTo("ok");
        assertThat(PoolAwait.only(provider).maxSize()).isEqualTo(100_000);
    }
}
