package dev.reactivepool.benchmarks.e2e;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The HTTP benchmarks' server: Reactor Netty on 127.0.0.1, on event loops of its own (so that it
 * does not share the client's), answering every GET with a two-byte body. It counts the TCP
 * connections it accepts and those open now, as the server sees them.
 */
final class LoopbackHttpServer implements AutoCloseable {

    static final String BODY = "ok";

    private final LongAdder accepted = new LongAdder();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peakOpen = new AtomicInteger();
    private final LoopResources loops;
    private final DisposableServer server;

    LoopbackHttpServer() {
        loops = LoopResources.create("bench-server", 1, 2, true);
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .runOn(loops)
                .doOnChannelInit((observer, channel, address) -> {
                    accepted.increment();
                    peakOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                    channel.closeFuture().addListener(f -> open.decrementAndGet());
                })
                .handle((req, res) -> res.header("content-type", "text/plain").sendString(Mono.just(BODY)))
                .bindNow();
    }

    /** Connections accepted since the start. */
    long accepted() {
        return accepted.sum();
    }

    /** Connections open now, as the server sees them. */
    int open() {
        return open.get();
    }

    /** The most connections open at once since the last {@link #resetPeak()}. */
    int peakOpen() {
        return peakOpen.get();
    }

    /** Starts a new peak from the connections open now. */
    void resetPeak() {
        peakOpen.set(open.get());
    }

    /**
     * A client on {@code provider} whose GET checks the body.
     *
     * @param provider the connection provider under test
     * @return the request, lazy, one per subscription
     */
    Mono<String> get(ConnectionProvider provider) {
        HttpClient client = HttpClient.create(provider).baseUrl("http://127.0.0.1:" + server.port());
        return client.get().uri("/")
                .responseSingle((res, body) -> body.asString())
                .map(text -> {
                    if (!BODY.equals(text)) {
                        throw new IllegalStateException("unexpected body: " + text);
                    }
                    return text;
                });
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(30));
        loops.disposeLater().block(Duration.ofSeconds(30));
    }
}
