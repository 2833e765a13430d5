package dev.reactivepool.reliability;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A Reactor Netty HTTP/1.1 server on 127.0.0.1 that answers {@code /} with a short body (any
 * other path with 404) and
 * counts its connections at the channel level, so that a test sees the server's own view of how
 * many connections a client pool holds.
 */
final class CountingHttpServer implements AutoCloseable {

    /** Connections open now. */
    final AtomicInteger open = new AtomicInteger();
    /** The most connections open at once. */
    final AtomicInteger peakOpen = new AtomicInteger();
    /** Connections accepted. */
    final AtomicLong accepted = new AtomicLong();
    /** Requests answered. */
    final AtomicLong requests = new AtomicLong();

    private final DisposableServer server;

    CountingHttpServer() {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .doOnChannelInit((observer, channel, address) -> {
                    accepted.incrementAndGet();
                    peakOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                    channel.closeFuture().addListener(f -> open.decrementAndGet());
                })
                .handle((req, res) -> {
                    requests.incrementAndGet();
                    if (!"/".equals(req.uri())) {
                        return res.status(404).send();
                    }
                    return res.sendString(Mono.just("pong"));
                })
                .bindNow();
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(10));
    }
}
