package dev.reactivepool.http.internal;

import java.util.concurrent.RejectedExecutionException;

import dev.reactivepool.Reclaimable;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.channel.ChannelOperations;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The view of a pooled channel that one request holds: everything is delegated, except that
 * {@link #dispose()} only closes the channel while that request still owns it.
 *
 * <p>Why: {@code HttpClient} disposes the connection it received when the request is cancelled
 * ({@code sink.onCancel(connection)}), from whatever thread cancelled it, typically a timer. The
 * close is then a task queued behind the I/O the event loop has already read. If that I/O
 * completes the response, the channel is released and may be leased again before the close task
 * runs, and the stale close would kill the next request ({@code PrematureCloseException}) or an
 * idle channel. Reactor Netty's own pool has this race; here the ownership check runs on the
 * channel's event loop, where release and re-lease happen, so it cannot be overtaken.
 *
 * <p>This is what the provider's {@code acquire()} emits, and it is {@link Reclaimable}: when
 * Reactor drops it (a subscriber whose cancel raced the delivery, an operator that discards it),
 * the library's {@code onNextDropped} hook or discard handler calls {@link #reclaim()}, which
 * closes the channel if this request still owns it, so its lease ends and the host pool gets its
 * permit back. It is closed, never put back idle: a dropped value may have passed through code
 * (a {@code doOnNext}, a connection observer) that started writing on it, and a half-written
 * request on an idle channel would corrupt the next one. See
 * {@code docs/http-adapter-dropped-connections.md}.
 */
final class LeasedConnection implements Connection, Reclaimable {

    private static final Logger log = Loggers.getLogger(LeasedConnection.class);

    private final Connection delegate;
    private final PooledChannel pooled;
    private final LeaseDelivery owner;
    // The operations created on this view of a reused channel, if any: they are what a dispose
    // must end first (their dispose comes back here to close the channel).
    private volatile Connection operations;
    // Loop-confined: set while the operations are being disposed.
    private boolean disposingOperations;

    LeasedConnection(Connection delegate, PooledChannel pooled, LeaseDelivery owner) {
        this.delegate = delegate;
        this.pooled = pooled;
        this.owner = owner;
    }

    /**
     * Makes {@link #dispose()} end {@code ops} (created on this view) before the channel, so that
     * this one object serves both as the operations' connection and as what the sink emits.
     */
    void operations(Connection ops) {
        this.operations = ops;
    }

    /** The pooled channel itself (operations that have terminated report a placeholder). */
    @Override
    public Channel channel() {
        return pooled.channel();
    }

    @Override
    public boolean isPersistent() {
        return delegate.isPersistent();
    }

    @Override
    public Connection markPersistent(boolean persist) {
        delegate.markPersistent(persist);
        return this;
    }

    @Override
    public Mono<Void> onDispose() {
        return delegate.onDispose();
    }

    @Override
    public Mono<Void> onTerminate() {
        return delegate.onTerminate();
    }

    @Override
    public boolean isDisposed() {
        return delegate.isDisposed();
    }

    @Override
    public void dispose() {
        EventLoop loop = channel().eventLoop();
        if (loop.inEventLoop()) {
            disposeIfStillOwned();
            return;
        }
        try {
            loop.execute(this::disposeIfStillOwned);
        }
        catch (RejectedExecutionException e) {
            // The loop is shutting down and closes its channels anyway.
            delegate.dispose();
        }
    }

    /**
     * Nobody holds this connection any more: closed if the request still owns the channel, left
     * alone if it was already released. Idempotent; never throws.
     */
    @Override
    public void reclaim() {
        dispose();
    }

    /** Runs on the event loop, which serialises it with release and with the next delivery. */
    private void disposeIfStillOwned() {
        if (!pooled.isOwnedBy(owner)) {
            if (log.isDebugEnabled()) {
                log.debug("{} dispose by a previous user ignored: the channel was released", channel());
            }
            discardInbound();
            return;
        }
        Connection ops = operations;
        if (ops != null && !disposingOperations) {
            disposingOperations = true;
            ops.dispose(); // drops their inbound, then disposes their connection: this, which closes
            return;
        }
        delegate.dispose();
    }

    /**
     * The request's operations terminated (that is how the channel was released) but may still
     * buffer response content nobody will read, such as a body the cancelled request never
     * subscribed to: released here. Only their own inbound is touched, never the channel, which
     * may be another request's by now.
     */
    private void discardInbound() {
        Connection ops = operations != null ? operations : delegate;
        if (ops instanceof ChannelOperations<?, ?> terminated && !terminated.isInboundDisposed()) {
            terminated.discard();
        }
    }

    @Override
    public String toString() {
        return "LeasedConnection{" + delegate + '}';
    }
}
