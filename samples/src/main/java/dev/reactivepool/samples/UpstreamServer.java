package dev.reactivepool.samples;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The "other service" the demo calls over HTTP: a Reactor Netty server on 127.0.0.1 and a free
 * port, answering {@code GET /stock/{id}} with a small JSON document. It counts the TCP
 * connections its clients open, which is how the demo sees what an HTTP connection pool saves.
 */
public final class UpstreamServer implements AutoCloseable {

    private final DisposableServer server;
    private final ConnectionCounter connections;

    private UpstreamServer(DisposableServer server, ConnectionCounter connections) {
        this.server = server;
        this.connections = connections;
    }

    /**
     * Starts the server; blocks until it is bound, so call it from the main thread.
     *
     * @return the running server
     */
    public static UpstreamServer start() {
        ConnectionCounter connections = new ConnectionCounter();
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                // Called once per accepted TCP connection (doOnConnection would be called once per
                // HTTP/1.1 request on a kept-alive connection); the close future fires when it closes.
                .doOnChannelInit((observer, channel, remoteAddress) -> {
                    connections.opened();
                    channel.closeFuture().addListener(closed -> connections.closed());
                })
                .route(routes -> routes.get("/stock/{id}", UpstreamServer::stock))
                .bindNow();
        return new UpstreamServer(server, connections);
    }

    private static Mono<Void> stock(HttpServerRequest request, HttpServerResponse response) {
        int id;
        try {
            id = Integer.parseInt(request.param("id"));
        } catch (NumberFormatException e) {
            return response.status(HttpResponseStatus.BAD_REQUEST).sendString(Mono.just("bad id")).then();
        }
        // A made-up but deterministic stock level, so that callers can check what they got.
        String json = "{\"id\":" + id + ",\"inStock\":" + stockOf(id) + "}";
        return response.header(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .sendString(Mono.just(json))
                .then();
    }

    /**
     * The stock level the server reports for an item.
     *
     * @param id the item's id
     * @return its stock level
     */
    public static int stockOf(int id) {
        return (id * 7) % 50;
    }

    /** @return the base URL, like {@code http://127.0.0.1:43210} */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** @return the count of the connections clients opened to this server */
    public ConnectionCounter connections() {
        return connections;
    }

    /** Stops the server and waits for it (main thread only). */
    @Override
    public void close() {
        server.disposeNow();
    }
}
