package dev.reactivepool.samples;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import dev.reactivepool.PoolMetrics;
import dev.reactivepool.http.ReactivePoolConnectionProvider;
import dev.reactivepool.r2dbc.PooledConnectionFactory;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The clients one run of the demo uses: where its database connections and HTTP connections
 * come from.
 *
 * @param label    the run's name in the table
 * @param name     its short name, for the progress line
 * @param database the connection factory requests use
 * @param http     the HTTP client requests use
 * @param pools    the pools' metrics, by pool name (none without pooling)
 * @param close    closes the pools, when subscribed
 */
public record DemoClients(String label, String name, ConnectionFactory database, HttpClient http,
                          Supplier<Map<String, PoolMetrics>> pools, Mono<Void> close) {

    /**
     * No pooling: every request opens its own database connection and its own TCP connection to
     * the upstream service, and closes both when it is done.
     *
     * @param driver the driver's connection factory
     * @return the clients
     */
    public static DemoClients newConnectionPerRequest(ConnectionFactory driver) {
        return new DemoClients("new connection per request", "per-request", driver,
                HttpClient.create(ConnectionProvider.newConnection()), Map::of, Mono.empty());
    }

    /**
     * reactive-pool in front of both: the R2DBC adapter pools the database connections, the HTTP
     * adapter the upstream connections.
     *
     * @param driver   the driver's connection factory
     * @param poolSize the most connections each pool may open
     * @param waiting  how many requests may wait for a connection at once
     * @return the clients
     */
    public static DemoClients reactivePool(ConnectionFactory driver, int poolSize, int waiting) {
        PooledConnectionFactory database = PooledConnectionFactory.builder(driver)
                .name("demo-db")
                .maxSize(poolSize)
                .maxIdle(poolSize)
                .maxPending(waiting)
                .acquireTimeout(Duration.ofSeconds(10))
                .build();
        ReactivePoolConnectionProvider provider = ReactivePoolConnectionProvider.builder("demo-http")
                .maxConnections(poolSize)
                .maxIdle(poolSize)
                .pendingAcquireMaxCount(waiting)
                .pendingAcquireTimeout(Duration.ofSeconds(10))
                .build();
        Supplier<Map<String, PoolMetrics>> pools = () -> {
            Map<String, PoolMetrics> all = new LinkedHashMap<>();
            all.put(database.name(), database.metrics());
            provider.metricsPerHost().forEach((address, metrics) -> all.put(metrics.name(), metrics));
            return all;
        };
        return new DemoClients("reactive-pool (" + poolSize + " + " + poolSize + ")", "reactive-pool", database,
                HttpClient.create(provider), pools, database.close().then(provider.disposeLater()));
    }
}
