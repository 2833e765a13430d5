package dev.reactivepool.http.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;

/**
 * Watches a pooled channel's inbound side. While the channel sits idle in the pool no byte may
 * arrive: anything that does (a stray response, an error page, the peer's half-close) means the
 * connection is out of step with the server and must not carry another request. The pool's
 * validator reads {@link #isClean()} on the acquiring thread, and the delivery reads it again on the
 * channel's event loop, after the loop has processed any I/O the kernel already had.
 *
 * <p>Placed after the TLS handler when there is one, so that TLS housekeeping records (session
 * tickets, for example) do not count as data.
 */
final class IdleReadGuard extends ChannelInboundHandlerAdapter {

    static final String NAME = "reactivePool.idleReadGuard";

    // Written and read on the channel's event loop; volatile only so that metrics or debugging
    // threads see a recent value.
    private volatile boolean idle;
    private volatile boolean dirty;
    private volatile long lastReadNanos = System.nanoTime();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (idle) {
            dirty = true;
        }
        lastReadNanos = System.nanoTime();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent || evt instanceof ChannelInputShutdownReadComplete) {
            dirty = true;
        }
        ctx.fireUserEventTriggered(evt);
    }

    void markIdle() {
        idle = true;
    }

    void markLeased() {
        idle = false;
    }

    /**
     * When the last bytes arrived: the end of the previous response, which is about when the
     * server's own idle timer started. Counting idleness from here rather than from the release
     * keeps the client's processing of that response (and any stall of its event loop) out of the
     * margin to the server's timeout.
     *
     * @return a {@link System#nanoTime()} reading
     */
    long lastReadNanos() {
        return lastReadNanos;
    }

    /** @return true if nothing was read while the channel was idle and the input is still open */
    boolean isClean() {
        return !dirty;
    }
}
