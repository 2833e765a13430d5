package dev.reactivepool.http.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import dev.reactivepool.Lease;
import io.netty.channel.Channel;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Operators;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyPipeline;
import reactor.netty.channel.AbortedException;
import reactor.netty.channel.ChannelOperations;
import reactor.util.Logger;
import reactor.util.Loggers;
import reactor.util.context.Context;

/**
 * One acquisition of a connection for one request: it subscribes to the host pool, receives the
 * lease, becomes the channel's owner, and completes Reactor Netty's sink with a configured
 * connection.
 *
 * <p>The {@link #state} decides, once, between delivery and cancellation: whoever moves it from
 * {@code WAITING} wins. A lease received after cancellation goes back to the pool; the core pool
 * itself returns the object if cancellation comes before the lease is emitted.
 *
 * <p>Ordering, as Reactor Netty requires: on reuse, ACQUIRED is sent, the operations are created
 * and bound, the sink is completed, and only then CONFIGURED is sent (CONFIGURED makes the HTTP
 * client write the request, which must find the sink completed).
 */
final class LeaseDelivery implements CoreSubscriber<Lease<PooledChannel>>, ConnectionObserver, Disposable, Runnable {

    private static final Logger log = Loggers.getLogger(LeaseDelivery.class);

    private static final int WAITING = 0;
    private static final int DELIVERED = 1;
    private static final int CANCELLED = 2;

    private final HostPool hostPool;
    private final MonoSink<Connection> sink;
    private final ConnectionObserver observer;
    private final ChannelOperations.OnSetup opsFactory;
    private final Context context;
    private final Disposable.Swap cancellation;
    private final boolean retried;
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private volatile Subscription subscription;
    private static final AtomicReferenceFieldUpdater<LeaseDelivery, Subscription> SUBSCRIPTION =
            AtomicReferenceFieldUpdater.newUpdater(LeaseDelivery.class, Subscription.class, "subscription");

    // The leased channel (the lease itself is held by the channel: Lease.get() throws once the
    // lease is dead, while this delivery may still need the channel to clean up).
    private volatile PooledChannel pooled;
    // What this delivery hands to the sink; written before the CAS to DELIVERED, so a cancel that
    // finds DELIVERED sees it.
    private volatile LeasedConnection emitted;

    private LeaseDelivery(HostPool hostPool, MonoSink<Connection> sink, ConnectionObserver observer,
                          ChannelOperations.OnSetup opsFactory, Context context, Disposable.Swap cancellation,
                          boolean retried) {
        this.hostPool = hostPool;
        this.sink = sink;
        this.observer = observer;
        this.opsFactory = opsFactory;
        this.context = context;
        this.cancellation = cancellation;
        this.retried = retried;
    }

    /** Starts acquiring a connection from {@code hostPool} for {@code sink}. */
    static void start(HostPool hostPool, MonoSink<Connection> sink, ConnectionObserver observer,
                      ChannelOperations.OnSetup opsFactory) {
        Disposable.Swap cancellation = Disposables.swap();
        sink.onCancel(cancellation);
        new LeaseDelivery(hostPool, sink, observer, opsFactory, Context.of(sink.contextView()), cancellation, false)
                .subscribeToPool();
    }

    private void subscribeToPool() {
        // replace() disposes this delivery at once if the sink was already cancelled.
        cancellation.replace(this);
        hostPool.pool().acquire().subscribe(this);
    }

    @Override
    public Context currentContext() {
        return context;
    }

    @Override
    public void onSubscribe(Subscription s) {
        if (Operators.setOnce(SUBSCRIPTION, this, s)) {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(Lease<PooledChannel> value) {
        PooledChannel pooled = value.get();
        this.pooled = pooled;
        // Recorded before the hop, so that a close in between invalidates this lease.
        pooled.setLease(value);
        Channel channel = pooled.channel();
        // On the channel's own loop, a new channel, or one handed straight from the request that
        // just ended to this waiter, is delivered at once, as Reactor Netty's pool does: a task
        // would queue the request behind all the I/O the loop has yet to process. A channel that
        // sat idle is delivered from a task, even on its own loop: the task runs after the I/O the
        // loop has already been told about (a close the server sent while the channel was idle),
        // which the re-check in run() must see.
        if (channel.eventLoop().inEventLoop() && (pooled.isNew() || pooled.isBeingHandedOver())) {
            // A channel handed over on this stack was checked by the pool's validator a moment
            // ago, on this thread, with no I/O processed since: the re-check would repeat it.
            deliver(false);
        }
        else {
            try {
                channel.eventLoop().execute(this);
            }
            catch (RejectedExecutionException e) {
                // The loop is shutting down: the channel is as good as closed.
                pooled.abandon(false);
                if (state.compareAndSet(WAITING, DELIVERED)) {
                    sink.error(AbortedException.beforeSend());
                }
            }
        }
    }

    @Override
    public void onError(Throwable error) {
        HostPool successor = null;
        if (!retried && state.get() == WAITING) {
            try {
                successor = hostPool.successorAfter(error);
            }
            catch (RuntimeException e) {
                error.addSuppressed(e);
            }
        }
        if (successor != null) {
            new LeaseDelivery(successor, sink, observer, opsFactory, context, cancellation, true).subscribeToPool();
        }
        else if (state.compareAndSet(WAITING, DELIVERED)) {
            sink.error(error);
        }
    }

    @Override
    public void onComplete() {
        // The lease, if any, was handled in onNext.
    }

    /**
     * The sink's subscriber cancelled. Before delivery, the acquire is cancelled (a lease that
     * arrives anyway is abandoned). After this delivery decided to emit, the cancel still came
     * before the sink delivered: a {@code MonoSink} calls its {@code onCancel} only while it holds
     * no value, and then discards or drops what it is given. Nobody will ever hold that
     * connection, so it is reclaimed here, whether or not the subscriber's chain has a discard
     * handler. ({@code HttpClient} never cancels this sink; other callers of {@code acquire} may.)
     */
    @Override
    public void dispose() {
        log.debug("acquire cancelled in state {}", state.get());
        if (state.compareAndSet(WAITING, CANCELLED)) {
            Operators.terminate(SUBSCRIPTION, this);
            return;
        }
        LeasedConnection undelivered = emitted;
        if (undelivered != null) {
            undelivered.reclaim();
        }
    }

    @Override
    public boolean isDisposed() {
        return state.get() != WAITING;
    }

    /** The delivery task, on the channel's event loop, after the I/O the loop already had. */
    @Override
    public void run() {
        deliver(true);
    }

    /**
     * Runs on the channel's event loop once the lease is here.
     *
     * @param recheck whether to repeat the reuse check of a pooled channel before delivering it
     */
    private void deliver(boolean recheck) {
        PooledChannel pooled = this.pooled;
        Channel channel = pooled.channel();
        if (state.get() == CANCELLED) {
            pooled.abandon(true);
            return;
        }
        boolean reused = !pooled.isNew();
        if (!channel.isActive() || (reused && recheck && !pooled.isReusable(hostPool.idleTimeout()))) {
            pooled.abandon(false);
            // A pooled channel found dead here is replaced transparently, as many times as it
            // takes (each try destroys one idle channel, so this ends); a new channel that died
            // before its first request is retried once.
            if (reused || !retried) {
                log.debug("Channel {} closed or dirty before use, acquiring another", channel);
                new LeaseDelivery(hostPool, sink, observer, opsFactory, context, cancellation, reused ? retried : true)
                        .subscribeToPool();
            }
            else if (state.compareAndSet(WAITING, DELIVERED)) {
                sink.error(AbortedException.beforeSend());
            }
            return;
        }
        ConnectionObserver previous = pooled.takeOwnership(this);
        if (log.isDebugEnabled()) {
            log.debug("{} {} leased", channel, previous instanceof PendingEvents ? "new" : "reused");
        }
        if (previous instanceof PendingEvents pending) {
            // A new channel: its CONFIGURED event (replayed now or still to come) delivers it.
            pending.replayTo(this);
            if (opsFactory == ChannelOperations.OnSetup.empty() && channel.isActive()
                    && !emit(new LeasedConnection(Connection.from(channel), pooled, this))
                    && state.get() == CANCELLED) {
                pooled.abandon(false);
            }
            return;
        }
        deliverReused(pooled, channel);
    }

    private void deliverReused(PooledChannel pooled, Channel channel) {
        observer.onStateChange(pooled, State.ACQUIRED);
        // The operations see this request's view of the channel: a dispose they issue after the
        // channel was released cannot close it under the next user.
        LeasedConnection leased = new LeasedConnection(pooled, pooled, this);
        ChannelOperations<?, ?> ops = opsFactory.create(leased, pooled, null);
        if (ops == null) {
            if (!emit(leased)) {
                pooled.abandon(true);
            }
            return;
        }
        boolean http2 = channel.pipeline().get(NettyPipeline.H2MultiplexHandler) != null;
        if (!http2) {
            ops.bind();
        }
        // The sink gets the same guarded view, which ends the operations first when disposed:
        // HttpClient disposes what it receives on cancel, and a value Reactor drops is reclaimed.
        leased.operations(ops);
        if (!emit(leased)) {
            // Cancelled while the operations were being set up: nobody will drive them.
            pooled.abandon(false);
            return;
        }
        observer.onStateChange(http2 ? pooled : ops, State.CONFIGURED);
    }

    @Override
    public void onStateChange(Connection connection, State newState) {
        if (log.isDebugEnabled()) {
            log.debug("{} state {} (delivery state {})", connection.channel(), newState, state.get());
        }
        if (newState == State.CONFIGURED) {
            // HttpClient disposes what it receives here when the request is cancelled.
            if (!emit(new LeasedConnection(connection, pooled, this)) && state.get() == CANCELLED) {
                // A new channel configured for a request that was cancelled meanwhile.
                pooled.abandon(false);
                return;
            }
        }
        observer.onStateChange(connection, newState);
    }

    /**
     * Completes the sink with {@code connection} unless the delivery was already decided.
     *
     * @return false if cancelled or failed before: the caller still owns the channel
     */
    private boolean emit(LeasedConnection connection) {
        if (state.get() != WAITING) {
            return false; // emit runs on the event loop only, so nothing else emits meanwhile
        }
        emitted = connection;
        if (!state.compareAndSet(WAITING, DELIVERED)) {
            return false;
        }
        sink.success(connection);
        return true;
    }

    @Override
    public void onUncaughtException(Connection connection, Throwable error) {
        if (state.compareAndSet(WAITING, DELIVERED)) {
            sink.error(error);
        }
        observer.onUncaughtException(connection, error);
    }

    /** The channel closed: if it closed before it was ready, the request fails (and may be retried). */
    void onChannelClosed() {
        if (state.compareAndSet(WAITING, DELIVERED)) {
            sink.error(AbortedException.beforeSend());
        }
    }
}
