package dev.reactivepool.http.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import dev.reactivepool.Lease;
import io.netty.channel.Channel;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.FutureMono;
import reactor.util.Logger;
import reactor.util.Loggers;
import reactor.util.context.Context;

/**
 * A pooled Netty channel: the object the core pool holds, and the {@link ConnectionObserver} that
 * Reactor Netty's pipeline reports to.
 *
 * <p>Lifecycle invariants:
 * <ul>
 *   <li>{@link #lease} holds the lease of the current user, or null while idle. Whoever takes it
 *       with {@code getAndSet(null)} ends the lease, so release (on DISCONNECTING) and invalidation
 *       (on close) can race and exactly one of them wins.</li>
 *   <li>{@link #owner} is the observer of the current user ({@link LeaseDelivery}), a
 *       {@link PendingEvents} buffer before a new channel's first delivery, or {@link #IDLE} while
 *       idle in the pool.</li>
 *   <li>All state changes happen on the channel's event loop, except the lease field written on
 *       delivery (before the hop) and read by the close listener.</li>
 * </ul>
 */
public final class PooledChannel implements Connection, ConnectionObserver {

    private static final Logger log = Loggers.getLogger(PooledChannel.class);

    /** The owner of an idle channel: nobody. */
    static final ConnectionObserver IDLE = ConnectionObserver.emptyListener();

    private final Channel channel;
    private final IdleReadGuard guard;
    private final AtomicReference<ConnectionObserver> owner = new AtomicReference<>();
    private final AtomicReference<Lease<PooledChannel>> lease = new AtomicReference<>();
    private final Sinks.Empty<Void> onTerminate = Sinks.empty();
    private volatile long releasedAtNanos = System.nanoTime();
    /**
     * True while {@link #release} hands the channel back to the core pool, which may give it to a
     * waiting acquirer on this very stack: that is a channel in use a moment ago, not one that sat
     * idle. Written by the releasing thread only.
     */
    private volatile boolean handingOver;

    PooledChannel(Channel channel, IdleReadGuard guard) {
        this.channel = channel;
        this.guard = guard;
        this.owner.set(new PendingEvents());
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public Context currentContext() {
        return owner().currentContext();
    }

    @Override
    public Mono<Void> onTerminate() {
        return onTerminate.asMono().or(onDispose());
    }

    @Override
    public void onUncaughtException(Connection connection, Throwable error) {
        owner().onUncaughtException(connection, error);
    }

    @Override
    public void onStateChange(Connection connection, State newState) {
        if (newState != State.DISCONNECTING) {
            owner().onStateChange(connection, newState);
            return;
        }
        if (!channel.isActive()) {
            // The close listener invalidates the lease.
            owner().onStateChange(connection, newState);
            return;
        }
        if (!isPersistent()) {
            // For example "Connection: close": never pooled. The close listener invalidates.
            channel.close();
            owner().onStateChange(connection, newState);
            return;
        }
        release(connection);
    }

    private void release(Connection connection) {
        Lease<PooledChannel> current = lease.getAndSet(null);
        if (current == null) {
            return;
        }
        ConnectionObserver previousOwner = owner.getAndSet(IDLE);
        log.debug("{} released", channel);
        guard.markIdle();
        releasedAtNanos = System.nanoTime();
        // The release may hand the channel straight to a waiting acquirer, which takes ownership
        // synchronously; the RELEASED event goes to the previous owner, captured above.
        handingOver = true;
        try {
            current.release().subscribe(null, error -> {
                log.debug("Releasing {} failed", channel, error);
                released(previousOwner, connection);
            }, () -> released(previousOwner, connection));
        }
        finally {
            handingOver = false;
        }
    }

    private void released(ConnectionObserver previousOwner, Connection connection) {
        onTerminate.tryEmitEmpty();
        previousOwner.onStateChange(connection, State.RELEASED);
    }

    /** Called by the channel's close future: a channel closed while leased is invalidated. */
    void onClosed() {
        Lease<PooledChannel> current = lease.getAndSet(null);
        if (log.isDebugEnabled()) {
            log.debug("{} closed, {}", channel, current != null ? "invalidating its lease" : "not leased");
        }
        ConnectionObserver currentOwner = owner.get();
        if (currentOwner instanceof LeaseDelivery delivery) {
            delivery.onChannelClosed();
        }
        if (current != null) {
            current.invalidate().subscribe(null, error -> log.debug("Invalidating {} failed", channel, error));
        }
    }

    /**
     * Makes {@code delivery} the owner of this channel for {@code newLease}.
     *
     * @return the previous owner: a {@link PendingEvents} for a new channel, {@link #IDLE} for a
     *         reused one
     */
    ConnectionObserver takeOwnership(LeaseDelivery delivery) {
        guard.markLeased();
        return owner.getAndSet(delivery);
    }

    /** @return whether {@code delivery} still owns this channel (reliable on the event loop) */
    boolean isOwnedBy(LeaseDelivery delivery) {
        return owner.get() == delivery;
    }

    void setLease(Lease<PooledChannel> newLease) {
        lease.set(newLease);
    }

    /**
     * Takes the lease back from a user that will never get the channel (cancelled before
     * delivery). A reused channel on which nothing was started goes back to the pool; a new one,
     * whose pipeline has already been configured for that user, is closed.
     */
    void abandon(boolean reusable) {
        Lease<PooledChannel> current = lease.getAndSet(null);
        if (current == null) {
            return;
        }
        if (reusable && channel.isActive()) {
            owner.set(IDLE);
            guard.markIdle();
            releasedAtNanos = System.nanoTime();
            current.release().subscribe(null, error -> log.debug("Releasing {} failed", channel, error));
        }
        else {
            owner.set(IDLE);
            current.invalidate().subscribe(null, error -> log.debug("Invalidating {} failed", channel, error));
        }
    }

    private static final Mono<Boolean> REUSABLE = Mono.just(true);
    private static final Mono<Boolean> REFUSED = Mono.just(false);

    /**
     * The pool's validator for an idle channel, answered synchronously on the acquiring thread: the
     * fields it reads are safe to read from any thread, and a constant answer lets the core pool
     * decide without subscribing or arming a timer. It refuses what is already known to be dead,
     * dirty or idle too long. What the event loop has read but not yet processed is caught on the
     * loop by {@link #isReusable(Duration)} just before delivery.
     *
     * @param idleTimeout channels idle for this long or longer are refused; zero disables
     * @return a constant Mono of whether the channel may carry another request
     */
    Mono<Boolean> validateForReuse(Duration idleTimeout) {
        return isReusable(idleTimeout) ? REUSABLE : REFUSED;
    }

    /**
     * @return true if the current thread is releasing this channel: a lease received now is a
     *         direct hand-off from the request that just ended
     */
    boolean isBeingHandedOver() {
        return handingOver;
    }

    /** @return true until a lease on this channel has been delivered for the first time */
    boolean isNew() {
        return owner.get() instanceof PendingEvents;
    }

    /**
     * Whether the channel may carry another request: open, nothing read while idle, idle for less
     * than {@code idleTimeout}. The validator asks on the acquiring thread; the delivery asks again
     * on the event loop just before delivery, in a task queued after the I/O the kernel had
     * already reported, so a close or a stray byte that arrived while the channel was idle is seen,
     * and so is idleness that grew while the delivery waited for the loop.
     *
     * @param idleTimeout channels idle for this long or longer are refused; zero disables
     * @return true if the channel may carry the request
     */
    boolean isReusable(Duration idleTimeout) {
        boolean reusable = channel.isActive() && guard.isClean()
                && (idleTimeout.isZero() || idleNanos() < idleTimeout.toNanos());
        if (log.isDebugEnabled()) {
            log.debug("{} validated: active={}, clean={}, idle {} ms: {}", channel, channel.isActive(), guard.isClean(),
                    idleNanos() / 1_000_000, reusable ? "reusable" : "refused");
        }
        return reusable;
    }

    /** Idle since the last byte received or the release, whichever came first. */
    private long idleNanos() {
        long released = releasedAtNanos;
        long lastRead = guard.lastReadNanos();
        return System.nanoTime() - (lastRead - released < 0 ? lastRead : released);
    }

    /** The core pool's destroyer: closes the channel if it is still open. */
    Mono<Void> close() {
        return channel.isActive() ? FutureMono.from(channel.close()) : Mono.empty();
    }

    private ConnectionObserver owner() {
        ConnectionObserver current = owner.get();
        return current != null ? current : IDLE;
    }

    @Override
    public String toString() {
        return "PooledChannel{" + channel + '}';
    }
}
