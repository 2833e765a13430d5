package dev.reactivepool.spring;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.reactivepool.http.ReactivePoolConnectionProvider;
import dev.reactivepool.r2dbc.PooledConnectionFactory;
import dev.reactivepool.spring.app.Item;
import dev.reactivepool.spring.app.ItemRepository;
import dev.reactivepool.spring.app.TestApplication;
import dev.reactivepool.spring.support.EmbeddedDatabase;
import dev.reactivepool.spring.support.SessionSampler;
import dev.reactivepool.spring.support.Upstream;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.util.ClassUtils;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Spring Boot application (WebFlux on 127.0.0.1, Spring Data R2DBC, actuator, r2dbc-pool on
 * the class path) on the embedded PostgreSQL, configured by properties only: the starter must make
 * reactive-pool its only pool, and the pool must hold up under load and cancellation.
 */
class BootApplicationTest {

    private static final String APP = "boot-app-test";
    private static final int MAX_SIZE = 10;

    private static Upstream upstream;
    private static ConfigurableApplicationContext app;
    private static PooledConnectionFactory pool;
    private static ConnectionProvider clientConnections;
    private static WebClient client;

    @BeforeAll
    static void start() {
        upstream = Upstream.start();
        app = new SpringApplicationBuilder(TestApplication.class).properties(
                "server.address=127.0.0.1",
                "server.port=0",
                "spring.r2dbc.url=" + EmbeddedDatabase.url(APP, null),
                "spring.r2dbc.pool.max-size=" + MAX_SIZE,
                "spring.r2dbc.pool.max-acquire-time=20s",
                "spring.sql.init.mode=always",
                "management.endpoints.web.exposure.include=health,metrics",
                "management.endpoint.health.show-details=always",
                "reactivepool.http.max-connections=4",
                "upstream.url=" + upstream.url()).run();
        pool = (PooledConnectionFactory) app.getBean(ConnectionFactory.class);
        // The test's own client: Reactor Netty's pool with room for every request in flight.
        clientConnections = ConnectionProvider.builder("test-client").maxConnections(200)
                .pendingAcquireMaxCount(-1).build();
        client = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create(clientConnections)))
                .baseUrl("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"))
                .build();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (clientConnections != null) {
            clientConnections.disposeLater().block(Duration.ofSeconds(10));
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void theConnectionFactoryIsReactivePoolAndTheOnlyPool() {
        assertThat(ClassUtils.isPresent("io.r2dbc.pool.ConnectionPool", null)).as("r2dbc-pool on the class path").isTrue();
        assertThat(app.getBeansOfType(ConnectionFactory.class)).hasSize(1);
        assertThat(app.getBean(ConnectionFactory.class)).isInstanceOf(PooledConnectionFactory.class);
        assertThat(app.getBeansOfType(io.r2dbc.pool.ConnectionPool.class)).isEmpty();
        // The pool wraps the driver's factory once, through Boot's options-capable wrapper.
        assertThat(pool.unwrap()).isInstanceOf(org.springframework.boot.r2dbc.OptionsCapableConnectionFactory.class);
        assertThat(((io.r2dbc.spi.Wrapped<?>) pool.unwrap()).unwrap().getClass().getName())
                .isEqualTo("io.r2dbc.postgresql.PostgresqlConnectionFactory");
        assertThat(pool.name()).isEqualTo("connectionFactory");
        assertThat(pool.metrics().maxSize()).isEqualTo(MAX_SIZE);
        assertThat(app.getBean(DatabaseClient.class).getConnectionFactory()).isSameAs(pool);
    }

    @Test
    void springDataRepositoryCrud() {
        Item created = client.post().uri("/items?name={name}", "crud-1").retrieve().bodyToMono(Item.class).block();
        assertThat(created.id()).isNotNull();
        Item read = client.get().uri("/items/{id}", created.id()).retrieve().bodyToMono(Item.class).block();
        assertThat(read).isEqualTo(created);

        ItemRepository items = app.getBean(ItemRepository.class);
        Item renamed = items.save(new Item(created.id(), "crud-2")).block();
        assertThat(items.findById(created.id()).block()).isEqualTo(renamed);
        items.deleteById(created.id()).block();
        assertThat(items.findById(created.id()).blockOptional()).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.metrics().leased() == 0);
    }

    @Test
    void transactionalInsertThenThrowRollsBackAndLeavesNoOpenTransaction() {
        Throwable error = client.post().uri("/items/failing?name={name}", "rolled-back").retrieve()
                .bodyToMono(Item.class).then(Mono.<Throwable>empty())
                .onErrorResume(Mono::just).block();
        assertThat(error).isInstanceOf(WebClientResponseException.InternalServerError.class);

        assertThat(EmbeddedDatabase.queryLong("SELECT count(*) FROM item WHERE name = 'rolled-back'")).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.metrics().leased() == 0);
        assertThat(EmbeddedDatabase.states(APP)).doesNotContain("idle in transaction");
        // Borrow every connection the pool holds at once: none may be inside a transaction that
        // started before our statement (the one the failed request used is among them).
        int open = pool.metrics().total();
        List<Boolean> inTransaction = holdAllAndCheck(Math.max(open, 1));
        assertThat(inTransaction).hasSize(Math.max(open, 1)).containsOnly(false);
    }

    /** Borrows {@code count} connections at once and asks each whether its transaction began before the query. */
    private static List<Boolean> holdAllAndCheck(int count) {
        AtomicInteger borrowed = new AtomicInteger();
        reactor.core.publisher.Sinks.Empty<Void> all = reactor.core.publisher.Sinks.empty();
        return Flux.range(0, count)
                .flatMap(i -> Mono.usingWhen(pool.create(), connection -> {
                    if (borrowed.incrementAndGet() == count) {
                        all.tryEmitEmpty();
                    }
                    return all.asMono().then(Mono.from(connection.createStatement(
                                    "SELECT xact_start < statement_timestamp() FROM pg_stat_activity WHERE pid = pg_backend_pid()")
                            .execute()).flatMap(result -> Mono.from(result.map((row, meta) -> row.get(0, Boolean.class))))
                            .map(started -> started || !connection.isAutoCommit()));
                }, Connection::close), count)
                .collectList()
                .block(Duration.ofSeconds(30));
    }

    @Test
    void twoThousandRequestsAtConcurrency100() {
        Item item = app.getBean(ItemRepository.class).save(new Item(null, "load")).block();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        try (SessionSampler sessions = SessionSampler.start(APP)) {
            Flux.range(0, 2_000)
                    .flatMap(i -> client.get().uri("/items/{id}", item.id()).retrieve().bodyToMono(Item.class)
                            .doOnNext(read -> ok.incrementAndGet())
                            .onErrorResume(e -> {
                                errors.incrementAndGet();
                                return Mono.empty();
                            }), 100)
                    .blockLast(Duration.ofMinutes(3));
            System.out.printf("[figures] 2000 requests at concurrency 100: ok=%d errors=%d, most sessions seen=%d "
                    + "(samples=%d), maxSize=%d%n", ok.get(), errors.get(), sessions.max(), sessions.samples(), MAX_SIZE);
            assertThat(errors).hasValue(0);
            assertThat(ok).hasValue(2_000);
            assertThat(sessions.samples()).isPositive();
            assertThat(sessions.max()).isPositive().isLessThanOrEqualTo(MAX_SIZE);
        }
        assertThat(pool.metrics().total()).isLessThanOrEqualTo(MAX_SIZE);
    }

    @Test
    void fiveHundredCancelledPlainRequestsLoseNothing() {
        cancelAtRandom("/slow?millis=50", "plain");
    }

    @Test
    void fiveHundredCancelledTransactionalRequestsLoseNothing() {
        cancelAtRandom("/slow-tx?millis=50", "@Transactional");
    }

    /**
     * 500 requests, each cancelled by the client after a random 1-150 ms, 20 at a time: some wait for
     * a connection, some are inside the query (or the transaction) when cancelled, some complete.
     */
    private static void cancelAtRandom(String uri, String kind) {
        AtomicInteger cancelled = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Flux.range(0, 500)
                .flatMap(i -> client.get().uri(uri).retrieve().bodyToMono(String.class)
                        .timeout(Duration.ofMillis(ThreadLocalRandom.current().nextInt(1, 151)))
                        .doOnNext(body -> completed.incrementAndGet())
                        .onErrorResume(TimeoutException.class, e -> {
                            cancelled.incrementAndGet();
                            return Mono.empty();
                        })
                        .onErrorResume(e -> {
                            failed.incrementAndGet();
                            return Mono.empty();
                        }), 20)
                .blockLast(Duration.ofMinutes(3));
        AtomicLong waited = new AtomicLong(System.nanoTime());
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.metrics().leased() == 0
                && !EmbeddedDatabase.states(APP).contains("idle in transaction"));
        System.out.printf("[figures] 500 %s requests: cancelled=%d completed=%d failed=%d; afterwards leased=%d, "
                        + "sessions idle in transaction=0 (reached after %d ms), reclaimed=%d%n", kind, cancelled.get(),
                completed.get(), failed.get(), pool.metrics().leased(),
                (System.nanoTime() - waited.get()) / 1_000_000, pool.metrics().reclaimed());
        assertThat(cancelled.get()).as("requests cancelled").isPositive();
        assertThat(failed).hasValue(0);
        // The pool is whole: every place can be borrowed at once, and a request still works.
        assertThat(holdAllAndCheck(MAX_SIZE)).hasSize(MAX_SIZE).containsOnly(false);
        assertThat(client.get().uri(uri).retrieve().bodyToMono(String.class).block(Duration.ofSeconds(20))).isNotNull();
    }

    @Test
    void webClientGoesThroughReactivePoolAndMetersAreListed() {
        assertThat(client.get().uri("/stock/7").retrieve().bodyToMono(String.class).block()).isEqualTo("stock-7");
        ReactivePoolConnectionProvider provider = app.getBean(ReactivePoolConnectionProvider.class);
        assertThat(provider.maxConnections()).isEqualTo(4);
        assertThat(provider.metricsPerHost()).hasSize(1);
        assertThat(provider.metricsPerHost().values().iterator().next().acquired()).isPositive();

        String names = client.get().uri("/actuator/metrics").retrieve().bodyToMono(String.class).block();
        assertThat(names).contains("\"reactivepool.leased\"", "\"reactivepool.idle\"", "\"reactivepool.acquired\"",
                "\"reactivepool.max.size\"");
        String r2dbc = client.get().uri("/actuator/metrics/reactivepool.max.size?tag=name:connectionFactory")
                .retrieve().bodyToMono(String.class).block();
        assertThat(r2dbc).contains("\"value\":" + MAX_SIZE + ".0");
        String perHost = client.get().uri("/actuator/metrics/reactivepool.acquired").retrieve()
                .bodyToMono(String.class).block();
        assertThat(perHost).contains("remote.address").contains(upstream.url().substring("http://".length()));
    }

    @Test
    void healthIndicatorChecksThePool() {
        String health = client.get().uri("/actuator/health").retrieve().bodyToMono(String.class).block();
        assertThat(health).contains("\"r2dbc\":{\"details\":{\"database\":\"PostgreSQL\",\"validationQuery\":\"validate(REMOTE)\"},\"status\":\"UP\"}");
    }
}
