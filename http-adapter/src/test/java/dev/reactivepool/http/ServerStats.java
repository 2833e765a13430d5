package dev.reactivepool.http;

import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.Channel;
import reactor.netty.http.server.HttpServer;

/**
 * Counts, on the server side, the TCP connections a test server accepted, how many are open, and
 * the most that were open at once.
 */
final class ServerStats {

    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger maxOpen = new AtomicInteger();

    /** @return {@code server} counting its connections into this object */
    HttpServer instrument(HttpServer server) {
        return server.doOnChannelInit((observer, channel, remoteAddress) -> onAccepted(channel));
    }

    private void onAccepted(Channel channel) {
        opened.incrementAndGet();
        int now = open.incrementAndGet();
        maxOpen.accumulateAndGet(now, Math::max);
        channel.closeFuture().addListener(f -> {
            open.decrementAndGet();
            closed.incrementAndGet();
        });
    }

    @Override
    public String toString() {
        return "opened=" + opened + ", closed=" + closed + ", open=" + open + ", maxOpen=" + maxOpen;
    }
}
