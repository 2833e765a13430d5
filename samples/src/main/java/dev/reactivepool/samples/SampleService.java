package dev.reactivepool.samples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.reactivepool.PoolMetrics;
import dev.reactivepool.http.ReactivePoolConnectionProvider;
import dev.reactivepool.r2dbc.PooledConnectionFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.r2dbc.spi.ConnectionFactory;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A small service on Reactor Netty's {@link HttpServer}, written as a functional pipeline in the
 * style of WebFlux's router functions:
 *
 * <ul>
 *   <li>{@code GET /items/{id}}: reads the item from PostgreSQL through a pooled R2DBC connection
 *       and its stock from the upstream service through a pooled HTTP connection, in parallel
 *       ({@link ItemLookup#find}, which scopes the connection with {@code usingWhen});</li>
 *   <li>{@code GET /metrics}: both pools' metrics as JSON.</li>
 * </ul>
 *
 * <p>Run it with {@code java -cp samples/target/reactive-pool-samples.jar
 * dev.reactivepool.samples.SampleService}: it starts an embedded PostgreSQL and the upstream
 * service itself. Handlers never block.
 */
public final class SampleService implements AutoCloseable {

    private final PooledConnectionFactory database;
    private final ReactivePoolConnectionProvider upstreamConnections;
    private final ItemLookup items;
    private final DisposableServer server;

    private SampleService(ConnectionFactory driver, String upstreamBaseUrl, int port) {
        // One pool of database connections, one of HTTP connections per upstream host.
        this.database = PooledConnectionFactory.builder(driver)
                .name("items-db")
                .maxSize(10).maxIdle(5)
                .acquireTimeout(Duration.ofSeconds(5))
                .build();
        this.upstreamConnections = ReactivePoolConnectionProvider.builder("stock-http")
                .maxConnections(20).maxIdle(10)
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        this.items = new ItemLookup(database, HttpClient.create(upstreamConnections), upstreamBaseUrl);
        this.server = HttpServer.create()
                .host("127.0.0.1")
                .port(port)
                .route(routes -> routes
                        .get("/items/{id}", this::item)
                        .get("/metrics", this::metrics))
                .bindNow();
    }

    /**
     * Starts the service on 127.0.0.1; blocks until it is bound (main thread only).
     *
     * @param driver          the database driver's connection factory, pooled by the service
     * @param upstreamBaseUrl the upstream service's base URL
     * @param port            the port, or 0 for a free one
     * @return the running service
     */
    public static SampleService start(ConnectionFactory driver, String upstreamBaseUrl, int port) {
        return new SampleService(driver, upstreamBaseUrl, port);
    }

    private Publisher<Void> item(HttpServerRequest request, HttpServerResponse response) {
        return Mono.fromCallable(() -> Integer.parseInt(request.param("id")))
                .onErrorMap(NumberFormatException.class, e -> new BadRequest("id must be an integer"))
                .flatMap(items::find)
                .flatMap(item -> json(response, HttpResponseStatus.OK, item.toJson()))
                .switchIfEmpty(Mono.defer(() -> json(response, HttpResponseStatus.NOT_FOUND,
                        "{\"error\":\"no such item\"}")))
                .onErrorResume(BadRequest.class, e -> json(response, HttpResponseStatus.BAD_REQUEST,
                        "{\"error\":\"" + e.getMessage() + "\"}"))
                .onErrorResume(e -> json(response, HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "{\"error\":\"" + e.getClass().getSimpleName() + "\"}"));
    }

    private Publisher<Void> metrics(HttpServerRequest request, HttpServerResponse response) {
        return Mono.fromSupplier(this::poolMetrics)
                .map(MetricsJson::write)
                .flatMap(json -> json(response, HttpResponseStatus.OK, json));
    }

    private static Mono<Void> json(HttpServerResponse response, HttpResponseStatus status, String body) {
        return response.status(status)
                .header(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .sendString(Mono.just(body))
                .then();
    }

    /** @return the metrics of the database pool and of each upstream host's pool */
    public List<PoolMetrics> poolMetrics() {
        List<PoolMetrics> all = new ArrayList<>();
        all.add(database.metrics());
        all.addAll(upstreamConnections.metricsPerHost().values());
        return all;
    }

    /** @return the service's base URL, like {@code http://127.0.0.1:8080} */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Stops the server, then closes both pools; blocks (main thread only). */
    @Override
    public void close() {
        server.disposeNow();
        database.close().then(upstreamConnections.disposeLater()).block(Duration.ofSeconds(30));
    }

    /** A request the service cannot serve: answered with 400. */
    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Starts an embedded PostgreSQL, the upstream service and this service, and serves until the
     * process is stopped (Ctrl-C).
     *
     * @param args optionally {@code --port N} (default 8080; 0 for a free port)
     */
    public static void main(String[] args) {
        int port = 8080;
        if (args.length == 2 && args[0].equals("--port")) {
            try {
                port = Integer.parseInt(args[1]);
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (port < 0 || port > 65535 || (args.length != 0 && args.length != 2)) {
            System.err.println("usage: SampleService [--port N]   (N from 0 to 65535, default 8080)");
            System.exit(2);
        }
        DemoDatabase database = DemoDatabase.embedded(100);
        ConnectionFactory driver = database.driver();
        DemoSchema.create(driver);
        UpstreamServer upstream = UpstreamServer.start();
        SampleService service = start(driver, upstream.baseUrl(), port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            upstream.close();
            database.close();
        }, "sample-service-shutdown"));
        System.out.println("serving on " + service.baseUrl() + " -- try:");
        System.out.println("  curl " + service.baseUrl() + "/items/42");
        System.out.println("  curl " + service.baseUrl() + "/metrics");
        System.out.println("Ctrl-C stops it.");
        service.server.onDispose().block();
    }
}
