package dev.reactivepool.spring.support;

import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** A small HTTP service on 127.0.0.1 that the test application calls through its WebClient. */
public final class Upstream implements AutoCloseable {

    private final DisposableServer server;
    private final AtomicInteger requests = new AtomicInteger();

    private Upstream(DisposableServer server) {
        this.server = server;
    }

    /** @return a started server answering {@code GET /stock/{id}} with {@code stock-<id>} */
    public static Upstream start() {
        Upstream[] self = new Upstream[1];
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.get("/stock/{id}", (request, response) -> {
                    self[0].requests.incrementAndGet();
                    return response.sendString(Mono.just("stock-" + request.param("id")));
                }))
                .bindNow();
        self[0] = new Upstream(server);
        return self[0];
    }

    /** @return the base URL */
    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** @return how many requests were answered */
    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
