package dev.reactivepool.http.internal;

import java.util.concurrent.RejectedExecutionException;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
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
 */
final class LeasedConnection implements Connection {

    private static final Logger log = Loggers.getLogger(LeasedConnection.class);

    private final Connection delegate;
    private final PooledChannel pooled;
    private final LeaseDelivery owner;

    LeasedConnection(Connection delegate, PooledChannel pooled, LeaseDelivery owner) {
        this.delegate = delegate;
        this.pooled = pooled;
        this.owner = owner;
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

    /** Runs on the event loop, which serialises it with release and with the next delivery. */
    private void disposeIfStillOwned() {
        if (pooled.isOwnedBy(owner)) {
            delegate.dispose();
        }
        else if (log.isDebugEnabled()) {
            log.debug("{} dispose by a previous user ignored: the channel was released", channel());
        }
    }

    @Override
    public String toString() {
        return "LeasedConnection{" + delegate + '}';
    }
}
