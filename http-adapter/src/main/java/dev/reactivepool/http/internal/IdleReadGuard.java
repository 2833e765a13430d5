package dev.reactivepool.http.internal;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;

/**
 * Watches a pooled channel's inbound side. While the channel sits idle in the pool no byte may
 * arrive: anything that does (a stray response, an error page, the peer's half-close) means the
 * connection is out of step with the server and must not carry another request. The validator
 * reads {@link #isClean()} on the channel's event loop, after the loop has processed any I/O the
 * kernel already had.
 *
 * <p>Placed after the TLS handler when there is one, so that TLS housekeeping records (session
 * tickets, for example) do not count as data.
 *
 * <p>It also guards the delivery window (see {@link #beginDelivery()}): Reactor Netty's HTTP
 * client does not cancel its acquire when its request is cancelled while waiting; when the
 * connection finally arrives it disposes it at once, which closes the channel, although nothing
 * was written on it. A close requested inside the window is held back and reported, so that the
 * delivery can return the good connection to the pool instead.
 */
final class IdleReadGuard extends ChannelDuplexHandler {

    static final String NAME = "reactivePool.idleReadGuard";

    // Written and read on the channel's event loop; volatile only so that metrics or debugging
    // threads see a recent value.
    private volatile boolean idle;
    private volatile boolean dirty;
    private volatile long lastReadNanos = System.nanoTime();
    // Event loop only.
    private boolean delivering;
    private boolean closeRefused;

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

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        if (delivering && ctx.channel().eventLoop().inEventLoop()) {
            closeRefused = true;
            promise.trySuccess();
            return;
        }
        super.close(ctx, promise);
    }

    /** Opens the delivery window, on the event loop, just before Reactor Netty's sink is completed. */
    void beginDelivery() {
        delivering = true;
        closeRefused = false;
    }

    /**
     * Closes the delivery window.
     *
     * @return true if the receiver tried to close the channel inside the window (its request had
     *         been cancelled): the channel is still open and unused
     */
    boolean endDelivery() {
        delivering = false;
        return closeRefused;
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
