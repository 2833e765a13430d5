package dev.reactivepool.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import dev.reactivepool.PoolMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.util.function.Tuple2;
import reactor.util.function.Tuples;

class SampleServiceTest {

    private static DemoDatabase database;
    private static UpstreamServer upstream;
    private static SampleService service;
    private static HttpClient client;
    private static final ConnectionCounter DATABASE_CONNECTIONS = new ConnectionCounter();

    @BeforeAll
    static void start() {
        database = DemoDatabase.embedded(100);
        DemoSchema.create(database.driver());
        upstream = UpstreamServer.start();
        service = SampleService.start(new CountingConnectionFactory(database.driver(), DATABASE_CONNECTIONS),
                upstream.baseUrl(), 0);
        client = HttpClient.create().baseUrl(service.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void anItemCombinesTheDatabaseRowAndTheUpstreamStock() {
        Tuple2<Integer, String> answer = get("/items/42");

        assertThat(answer.getT1()).isEqualTo(200);
        assertThat(answer.getT2()).isEqualTo(new Item(42, "item-42", DemoSchema.priceOf(42),
                UpstreamServer.stockOf(42)).toJson());
    }

    @Test
    void badAndUnknownIdsGet400And404() {
        assertThat(get("/items/forty-two")).isEqualTo(Tuples.of(400, "{\"error\":\"id must be an integer\"}"));
        assertThat(get("/items/" + (DemoSchema.ITEMS + 1))).isEqualTo(Tuples.of(404, "{\"error\":\"no such item\"}"));
    }

    @Test
    void manyConcurrentRequestsShareTheBoundedPoolsAndMetricsShowIt() {
        List<Integer> statuses = Flux.range(1, 200)
                .flatMap(id -> client.get().uri("/items/" + id)
                        .responseSingle((response, body) -> body.asString().thenReturn(response.status().code())), 50)
                .collectList()
                .block(Duration.ofSeconds(60));

        assertThat(statuses).hasSize(200).containsOnly(200);
        List<PoolMetrics> pools = service.poolMetrics();
        PoolMetrics db = pools.get(0);
        assertThat(db.name()).isEqualTo("items-db");
        assertThat(db.acquired()).isGreaterThanOrEqualTo(200);
        assertThat(pools).hasSize(2);
        PoolMetrics http = pools.get(1);
        assertThat(http.acquired()).isGreaterThanOrEqualTo(200);
        // 50 requests in flight, but never more real connections than the pools' limits
        // (with maxIdle below maxSize, connections beyond maxIdle are closed when returned, so
        // more than maxSize may be opened over time; never at once).
        assertThat(DATABASE_CONNECTIONS.peak()).isBetween(1, 10);
        assertThat(upstream.connections().peak()).isBetween(1, 20);

        Tuple2<Integer, String> metrics = get("/metrics");
        assertThat(metrics.getT1()).isEqualTo(200);
        assertThat(metrics.getT2())
                .startsWith("{\"pools\":[{\"name\":\"items-db\",\"maxSize\":10,\"maxIdle\":5,")
                .contains("\"acquireLatencyMs\":{\"count\":")
                .contains("\"name\":\"" + http.name() + "\"")
                .endsWith("}]}");
    }

    private static Tuple2<Integer, String> get(String path) {
        return client.get().uri(path)
                .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> Tuples.of(response.status().code(), text)))
                .switchIfEmpty(Mono.error(new AssertionError("no response for " + path)))
                .block(Duration.ofSeconds(30));
    }
}
