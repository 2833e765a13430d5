package dev.reactivepool.http.internal;

import java.time.Duration;

import dev.reactivepool.Pool;
import dev.reactivepool.PoolBuilder;
import dev.reactivepool.PoolClosedException;
import dev.reactivepool.PoolMetrics;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyPipeline;
import reactor.netty.transport.TransportConfig;

/**
 * The core pool of channels to one remote host, for one client pipeline configuration.
 *
 * <p>The pool's validator refuses an idle channel that closed, received bytes while idle, or has
 * been idle for {@code maxIdleTime} or longer; the pool then destroys it and draws another, so a
 * dead connection is replaced without the request seeing it. The delivery repeats the check on the
 * channel's event loop ({@link LeaseDelivery}). New channels are not validated.
 */
public final class HostPool {

    private final HostPoolKey key;
    private final HostPoolRegistry registry;
    private final TransportConfig config;
    private final AddressResolverGroup<?> resolverGroup;
    private final ProviderOptions options;
    private final Pool<PooledChannel> pool;
    private final Duration idleTimeout;
    // Every open channel of this pool; Netty removes closed channels by itself.
    private final ChannelGroup channels;
    private volatile boolean retired;
    private volatile long lastUsedNanos = System.nanoTime();

    HostPool(HostPoolKey key, HostPoolRegistry registry, TransportConfig config,
             AddressResolverGroup<?> resolverGroup, ProviderOptions options) {
        this.key = key;
        this.registry = registry;
        this.config = config;
        this.resolverGroup = resolverGroup;
        this.options = options;
        HostPoolSettings settings = options.settingsFor(key.remoteAddress());
        Duration idleTimeout = settings.idleTimeout();
        this.idleTimeout = idleTimeout;
        this.channels = new DefaultChannelGroup(options.name(), ImmediateEventExecutor.INSTANCE);
        PoolBuilder<PooledChannel> builder =
                Pool.builder(new ChannelConnector(config, key.remoteAddress(), resolverGroup, channels).connect());
        if (settings.connectionAffinity()) {
            // An idle channel belongs to its event loop: a request made on that loop gets it first,
            // and its I/O stays on the thread the request runs on (docs/affinity.md).
            builder.affinity(channel -> channel.channel().eventLoop());
        }
        this.pool = builder
                .name(options.name() + "[" + key.remoteAddress() + "]")
                .maxSize(settings.maxConnections())
                .maxIdle(settings.maxIdle())
                .maxPending(settings.maxPending())
                .acquireTimeout(settings.pendingTimeout())
                .idleTimeout(idleTimeout)
                .maxLifetime(settings.maxLifetime(), settings.lifetimeJitter())
                .idleOrder(settings.idleOrder())
                .evictionInterval(options.evictionInterval())
                .closeGracePeriod(options.disposeTimeout())
                .validator(channel -> channel.validateForReuse(idleTimeout))
                .destroyer(PooledChannel::close)
                .build();
    }

    /**
     * Acquires a connection for one request of Reactor Netty's HTTP client.
     *
     * @param sink          completed with the configured connection
     * @param observer      the request's observer
     * @param requestConfig the requesting client's configuration (its operations factory is used)
     */
    public void acquire(MonoSink<Connection> sink, ConnectionObserver observer, TransportConfig requestConfig) {
        lastUsedNanos = System.nanoTime();
        LeaseDelivery.start(this, sink, observer, requestConfig.channelOperationsProvider());
    }

    /** @return how long a channel may stay idle and still be reused; zero for no limit */
    Duration idleTimeout() {
        return idleTimeout;
    }

    /** @return the core pool of this host's channels */
    public Pool<PooledChannel> pool() {
        return pool;
    }

    /** @return the remote address and configuration hash this pool serves */
    public HostPoolKey key() {
        return key;
    }

    /**
     * The pool to use instead of this one after {@code error}, if any. The registry retires only
     * inactive pools, but a request may pick a pool from the registry just before it is retired;
     * such a request moves to the pool that now serves the host instead of failing.
     *
     * @return the successor pool, or null if the error stands
     */
    HostPool successorAfter(Throwable error) {
        if (error instanceof PoolClosedException && retired && !registry.isDisposed()) {
            return registry.getOrCreate(key, config, resolverGroup);
        }
        return null;
    }

    /** @return the core pool's metrics */
    public PoolMetrics metrics() {
        return pool.metrics();
    }

    /** @return true if no connection is leased, being opened, or waited for */
    boolean isInactive() {
        PoolMetrics m = pool.metrics();
        return m.leased() == 0 && m.pending() == 0 && m.creating() == 0;
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }

    void retire() {
        retired = true;
    }

    /**
     * Closes the pool: idle connections at once, HTTP/1.1 connections in use when their request
     * ends. HTTP/2 connections are held by Reactor Netty's HTTP/2 pool for as long as it lives,
     * which disposing this provider does not end, so they are closed now (their streams fail, as
     * when Reactor Netty disposes its own HTTP/2 pool).
     */
    Mono<Void> close() {
        return pool.close().and(Mono.fromRunnable(this::closeHttp2Channels));
    }

    private void closeHttp2Channels() {
        for (Channel channel : channels) {
            if (channel.pipeline().get(NettyPipeline.H2MultiplexHandler) != null) {
                channel.close();
            }
        }
    }

    TransportConfig config() {
        return config;
    }

    AddressResolverGroup<?> resolverGroup() {
        return resolverGroup;
    }

    ProviderOptions options() {
        return options;
    }
}
