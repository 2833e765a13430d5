package dev.reactivepool.samples.boot;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Stands in for a remote service the application calls: a small HTTP server on 127.0.0.1
 * answering {@code GET /stock/{id}} with a number (JSON).
 */
final class StockService implements AutoCloseable {

    private final DisposableServer server;

    private StockService(DisposableServer server) {
        this.server = server;
    }

    /** @return a running service on a free port of 127.0.0.1 */
    static StockService start() {
        return new StockService(HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.get("/stock/{id}", (request, response) -> response
                        .header("Content-Type", "application/json").sendString(
                        Mono.just(String.valueOf(Math.floorMod(request.param("id").hashCode() * 7, 100))))))
                .bindNow());
    }

    /** @return the service's base URL */
    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
