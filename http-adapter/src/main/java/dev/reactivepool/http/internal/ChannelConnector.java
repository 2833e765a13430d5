package dev.reactivepool.http.internal;

import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.resolver.AddressResolverGroup;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Operators;
import reactor.netty.NettyPipeline;
import reactor.netty.transport.TransportConfig;
import reactor.netty.transport.TransportConnector;

/**
 * Opens new channels to one remote host: the core pool's allocator. Each subscription connects
 * one channel with Reactor Netty's public {@link TransportConnector} and installs the client's own
 * pipeline ({@link TransportConfig#channelInitializer}: codecs, TLS, proxy, metrics), observed by
 * the new {@link PooledChannel}.
 */
final class ChannelConnector {

    private final TransportConfig config;
    private final SocketAddress remoteAddress;
    private final AddressResolverGroup<?> resolverGroup;
    private final ChannelGroup channels;

    ChannelConnector(TransportConfig config, SocketAddress remoteAddress, AddressResolverGroup<?> resolverGroup,
                     ChannelGroup channels) {
        this.config = config;
        this.remoteAddress = remoteAddress;
        this.resolverGroup = resolverGroup;
        this.channels = channels;
    }

    /** @return a Mono that opens one channel per subscription */
    Mono<PooledChannel> connect() {
        return Mono.create(sink -> {
            Setup setup = new Setup(sink);
            sink.onCancel(setup::cancel);
            TransportConnector.connect(config, remoteAddress, resolverGroup, setup).subscribe(setup);
        });
    }

    /** Initializes one channel and reports the outcome of its connection to the pool. */
    private static final AtomicReferenceFieldUpdater<Setup, Subscription> SUBSCRIPTION =
            AtomicReferenceFieldUpdater.newUpdater(Setup.class, Subscription.class, "subscription");

    private final class Setup extends ChannelInitializer<Channel> implements CoreSubscriber<Channel> {

        private final MonoSink<PooledChannel> sink;
        volatile Subscription subscription;
        private volatile PooledChannel pooled;

        Setup(MonoSink<PooledChannel> sink) {
            this.sink = sink;
        }

        @Override
        protected void initChannel(Channel channel) {
            IdleReadGuard guard = new IdleReadGuard();
            PooledChannel created = new PooledChannel(channel, guard);
            this.pooled = created;
            ChannelPipeline pipeline = channel.pipeline();
            pipeline.remove(this);
            pipeline.addFirst(config.channelInitializer(created, remoteAddress, false));
            // After TLS when there is TLS, so that only application data counts (see IdleReadGuard).
            if (pipeline.get(NettyPipeline.SslHandler) != null) {
                pipeline.addAfter(NettyPipeline.SslHandler, IdleReadGuard.NAME, guard);
            }
            else {
                pipeline.addFirst(IdleReadGuard.NAME, guard);
            }
            created.bind();
            channels.add(channel);
            channel.closeFuture().addListener(future -> created.onClosed());
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.setOnce(SUBSCRIPTION, this, s)) {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(Channel channel) {
            sink.success(pooled);
        }

        @Override
        public void onError(Throwable error) {
            sink.error(error);
        }

        @Override
        public void onComplete() {
            // The channel, if any, was delivered in onNext.
        }

        /** The pool gave up on this creation (timeout, close): do not leave a channel behind. */
        void cancel() {
            Operators.terminate(SUBSCRIPTION, this);
            PooledChannel created = pooled;
            if (created != null) {
                created.channel().close();
            }
        }
    }
}
