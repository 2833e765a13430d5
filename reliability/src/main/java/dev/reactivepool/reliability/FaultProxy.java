package dev.reactivepool.reliability;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.util.ReferenceCountUtil;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * A TCP proxy on 127.0.0.1, built on Reactor Netty, that injects network faults between a client
 * (the pool under test) and a server (PostgreSQL, an HTTP server): see {@link Fault}. Faults are
 * switched with {@link #inject(Fault)} while traffic flows.
 *
 * <p>Both sides of every relayed connection run on the proxy's own single event loop, so the
 * relay needs no synchronization and delayed chunks keep their order; the proxy shares no thread
 * with the code under test. {@link #inject(Fault)}, {@link #start} and {@link #close()} may
 * block briefly (binding or unbinding the listening socket): call them from a test or driver
 * thread, never from an event loop.
 */
public final class FaultProxy implements AutoCloseable {

    private static final Logger LOG = Loggers.getLogger(FaultProxy.class);

    private final String name;
    private final InetSocketAddress upstream;
    private final LoopResources loop;
    private final Set<Relay> relays = ConcurrentHashMap.newKeySet();
    private final int port;
    private volatile DisposableServer server;
    private volatile Fault fault = Fault.NONE;
    private volatile long latencyNanos;

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong upstreamFailed = new AtomicLong();
    private final AtomicLong cut = new AtomicLong();
    private final AtomicLong blackHoled = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger openNeverRelayed = new AtomicInteger();
    private final AtomicInteger peakOpen = new AtomicInteger();
    private final AtomicInteger upstreamOpen = new AtomicInteger();
    private final AtomicInteger peakUpstreamOpen = new AtomicInteger();
    private final AtomicLong bytesToServer = new AtomicLong();
    private final AtomicLong bytesToClient = new AtomicLong();
    private final AtomicLong bytesDropped = new AtomicLong();
    private final AtomicLong chunksDelayed = new AtomicLong();
    private final AtomicLong faultsInjected = new AtomicLong();

    private FaultProxy(String name, InetSocketAddress upstream) {
        this.name = name;
        this.upstream = upstream;
        this.loop = LoopResources.create("fault-proxy-" + name, 1, true);
        this.server = bindOutsideEphemeralRange();
        this.port = server.port();
    }

    /**
     * Binds a random free port below the operating system's ephemeral range. {@link Fault#REFUSE}
     * unbinds the port for a while; a port from the ephemeral range could meanwhile become the
     * local port of some outgoing connection, and binding it again would fail.
     */
    private DisposableServer bindOutsideEphemeralRange() {
        int low = ephemeralRangeStart();
        if (low > 11_000) {
            java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
            for (int attempt = 0; attempt < 100; attempt++) {
                int candidate = random.nextInt(10_000, low);
                try {
                    return bind(candidate);
                } catch (RuntimeException taken) {
                    // In use: try another.
                }
            }
        }
        return bind(0);
    }

    private static int ephemeralRangeStart() {
        try {
            // readAllLines, not readString: /proc files report size 0 and readString can stop short.
            String range = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0);
            return Integer.parseInt(range.trim().split("\\s+")[0]);
        } catch (java.io.IOException | RuntimeException e) {
            // Not Linux: the IANA dynamic range starts at 49152.
            return 49_152;
        }
    }

    /**
     * Starts a proxy on a free port of 127.0.0.1 in front of {@code upstreamHost:upstreamPort}.
     *
     * @param name         a short name for its thread and log lines
     * @param upstreamHost the server's host (a loopback address)
     * @param upstreamPort the server's port
     * @return the running proxy, passing traffic through
     */
    public static FaultProxy start(String name, String upstreamHost, int upstreamPort) {
        return new FaultProxy(Objects.requireNonNull(name, "name"), new InetSocketAddress(upstreamHost, upstreamPort));
    }

    /** @return the proxy's port on 127.0.0.1; clients connect here instead of to the server */
    public int port() {
        return port;
    }

    /** @return the fault in force */
    public Fault fault() {
        return fault;
    }

    /**
     * Sets the latency used by {@link Fault#LATENCY}.
     *
     * @param latency zero or positive
     * @return this proxy
     */
    public FaultProxy latency(Duration latency) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must be zero or positive, was " + latency);
        }
        this.latencyNanos = latency.toNanos();
        return this;
    }

    /**
     * Switches to {@code next}. {@link Fault#CUT} resets every open connection at once;
     * {@link Fault#REFUSE} closes the listening socket and leaving it binds the same port again.
     *
     * @param next the fault to impose from now on; {@link Fault#NONE} ends the fault
     */
    public void inject(Fault next) {
        Objects.requireNonNull(next, "fault");
        Fault previous = fault;
        if (next == previous) {
            if (next == Fault.CUT) {
                cutAll();
            }
            return;
        }
        if (next != Fault.NONE) {
            faultsInjected.incrementAndGet();
        }
        if (previous == Fault.REFUSE) {
            server = rebind();
        }
        fault = next;
        if (next == Fault.CUT) {
            cutAll();
        } else if (next == Fault.REFUSE) {
            // Only the listening socket: disposing the server would also close the connections it
            // accepted, which REFUSE keeps.
            server.channel().close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        LOG.debug("[{}] fault {} -> {}", name, previous, next);
    }

    /** Resets every open connection now, whatever the fault in force. */
    public void cutAll() {
        for (Relay relay : relays) {
            if (relay.closeAbruptly()) {
                cut.incrementAndGet();
            }
        }
    }

    /** @return a snapshot of the proxy's counters */
    public FaultProxyStats stats() {
        return new FaultProxyStats(accepted.get(), relayed.get(), upstreamFailed.get(), cut.get(), blackHoled.get(),
                open.get(), openNeverRelayed.get(), peakOpen.get(), upstreamOpen.get(), peakUpstreamOpen.get(), bytesToServer.get(),
                bytesToClient.get(), bytesDropped.get(), chunksDelayed.get(), faultsInjected.get());
    }

    /** Closes the listening socket, every connection and the event loop. */
    @Override
    public void close() {
        fault = Fault.NONE;
        server.channel().close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        cutAll();
        loop.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block(Duration.ofSeconds(10));
    }

    @Override
    public String toString() {
        return "FaultProxy[" + name + " 127.0.0.1:" + port + " -> " + upstream + ", " + fault + "]";
    }

    private DisposableServer bind(int onPort) {
        return TcpServer.create()
                .host("127.0.0.1")
                .port(onPort)
                .runOn(loop)
                .doOnConnection(this::accepted)
                // The relay consumes every byte before Reactor Netty's own handler would; the
                // connection lives until one side closes it.
                .handle((in, out) -> Mono.never())
                .bindNow(Duration.ofSeconds(5));
    }

    private DisposableServer rebind() {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 250; attempt++) {
            try {
                return bind(port);
            } catch (RuntimeException e) {
                if (!(e.getCause() instanceof BindException) && !(e instanceof IllegalStateException)) {
                    throw e;
                }
                last = e;
                // The old listening socket is closing; the port is ours (no one else binds it on
                // purpose), so retry shortly.
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
        throw new IllegalStateException("could not bind 127.0.0.1:" + port + " again", last);
    }

    private void accepted(Connection client) {
        accepted.incrementAndGet();
        Channel down = client.channel();
        Fault now = fault;
        if (now == Fault.CUT || now == Fault.REFUSE) {
            // REFUSE here: accepted in the instant before the listening socket closed.
            cut.incrementAndGet();
            reset(down);
            return;
        }
        Relay relay = new Relay(down);
        relays.add(relay);
        peak(peakOpen, open.incrementAndGet());
        down.closeFuture().addListener(f -> {
            open.decrementAndGet();
            relay.close();
        });
        client.addHandlerLast("fault-proxy.relay.down", relay.fromClient);
        if (now == Fault.BLACK_HOLE) {
            relay.silenced = true;
            blackHoled.incrementAndGet();
            openNeverRelayed.incrementAndGet();
            down.closeFuture().addListener(f -> openNeverRelayed.decrementAndGet());
            down.config().setAutoRead(true);
            return;
        }
        down.config().setAutoRead(false);
        // newConnection: one upstream connection per client connection, no client-side pooling.
        TcpClient.newConnection()
                .remoteAddress(() -> upstream)
                .runOn(loop)
                .connect()
                .subscribe(server -> relay.connected(server), error -> {
                    upstreamFailed.incrementAndGet();
                    down.close();
                });
    }

    private static void reset(Channel channel) {
        if (channel.isOpen()) {
            try {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (ChannelException closedMeanwhile) {
                // The connection closed on its event loop between the check and the option: it is
                // already gone, which is what a reset wants.
                return;
            }
            channel.close();
        }
    }

    private static void peak(AtomicInteger peak, int value) {
        peak.accumulateAndGet(value, Math::max);
    }

    /** One client connection and, once connected, its upstream connection. */
    private final class Relay {

        final Channel down;
        volatile Channel up;
        /** Set when the connection lost bytes to a black hole: it stays silent for good. */
        volatile boolean silenced;
        final Direction fromClient;
        final Direction fromServer;

        Relay(Channel down) {
            this.down = down;
            this.fromClient = new Direction(true);
            this.fromServer = new Direction(false);
        }

        void connected(Connection server) {
            Channel upChannel = server.channel();
            relayed.incrementAndGet();
            peak(peakUpstreamOpen, upstreamOpen.incrementAndGet());
            upChannel.closeFuture().addListener(f -> {
                upstreamOpen.decrementAndGet();
                close();
            });
            up = upChannel;
            server.addHandlerLast("fault-proxy.relay.up", fromServer);
            if (!down.isActive()) {
                upChannel.close();
                return;
            }
            // Reactor Netty reads on demand of its inbound subscriber; the relay consumes every
            // byte itself, so it turns plain auto-read on for both sides.
            upChannel.config().setAutoRead(true);
            down.config().setAutoRead(true);
        }

        /** @return true if this call closed an open connection */
        boolean closeAbruptly() {
            boolean wasOpen = down.isOpen();
            reset(down);
            Channel u = up;
            if (u != null) {
                reset(u);
            }
            relays.remove(this);
            return wasOpen;
        }

        void close() {
            relays.remove(this);
            down.close();
            Channel u = up;
            if (u != null) {
                u.close();
            }
        }

        /** Forwards what one side sends to the other, applying the fault in force. */
        final class Direction extends ChannelInboundHandlerAdapter {

            private final boolean toServer;
            /** The latest deadline of a delayed chunk: later chunks never overtake it. */
            private long lastDeadline;

            Direction(boolean toServer) {
                this.toServer = toServer;
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (!(msg instanceof ByteBuf buf)) {
                    ReferenceCountUtil.release(msg);
                    return;
                }
                Fault now = fault;
                Channel target = toServer ? up : down;
                if (silenced || now == Fault.BLACK_HOLE || target == null) {
                    if (!silenced) {
                        silenced = true;
                        blackHoled.incrementAndGet();
                    }
                    bytesDropped.addAndGet(buf.readableBytes());
                    buf.release();
                    return;
                }
                long nowNanos = System.nanoTime();
                long delay = now == Fault.LATENCY ? latencyNanos : 0;
                long deadline = Math.max(nowNanos + delay, lastDeadline);
                if (deadline > nowNanos) {
                    lastDeadline = deadline;
                    chunksDelayed.incrementAndGet();
                    ctx.executor().schedule(() -> forward(target, buf), deadline - nowNanos, TimeUnit.NANOSECONDS);
                } else {
                    forward(target, buf);
                }
            }

            private void forward(Channel target, ByteBuf buf) {
                if (!target.isActive()) {
                    buf.release();
                    return;
                }
                (toServer ? bytesToServer : bytesToClient).addAndGet(buf.readableBytes());
                target.writeAndFlush(buf);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                close();
                ctx.fireChannelInactive();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                // Resets by either side are normal under fault injection.
                close();
            }
        }
    }
}
