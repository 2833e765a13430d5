package dev.reactivepool.http;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.reactivepool.InvalidPoolConfigurationException;
import dev.reactivepool.PoolMetrics;
import dev.reactivepool.http.internal.HostPool;
import dev.reactivepool.http.internal.HostPoolKey;
import dev.reactivepool.http.internal.HostPoolRegistry;
import dev.reactivepool.http.internal.HostPoolSettings;
import dev.reactivepool.http.internal.ProviderOptions;
import io.netty.resolver.AddressResolverGroup;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.transport.TransportConfig;

/**
 * A Reactor Netty {@link ConnectionProvider} whose connections are pooled by reactive-pool: one
 * core pool per remote host, so that the pool's guarantees (hard limit, idle cap, FIFO reuse,
 * validation on acquire, lifetimes, leak-free cancellation) hold for HTTP connections.
 *
 * <pre>{@code
 * ReactivePoolConnectionProvider provider = ReactivePoolConnectionProvider.builder("backend")
 *         .maxConnections(50)
 *         .maxIdle(10)
 *         .maxIdleTime(Duration.ofSeconds(20))
 *         .build();
 * HttpClient client = HttpClient.create(provider);
 * }</pre>
 *
 * <p>Lifecycle of a connection: it is returned to its pool when Reactor Netty terminates the
 * request (DISCONNECTING) and the connection is still active and persistent; a non-persistent
 * connection (for example after {@code Connection: close}) is closed instead; a connection that
 * closes while in use is invalidated, which frees its place in the pool. Before an idle
 * connection is reused it is validated when the pool picks it and again on its event loop just
 * before delivery: it must be open, must not have received any byte while idle, and must have been
 * idle less than {@code maxIdleTime}. A connection that fails is closed and another is drawn,
 * invisibly to the request.
 *
 * <p>HTTP/2: {@code HttpClient} puts its own HTTP/2 pool in front of this provider and uses it
 * only to open connections, which stay leased while HTTP/2 uses them. {@link #maxConnections()}
 * and {@link #mutate()} describe this provider's default settings for that pool.
 *
 * <p>No method blocks or takes a lock.
 */
public final class ReactivePoolConnectionProvider implements ConnectionProvider {

    private final ProviderOptions options;
    private final HostPoolRegistry registry;
    private final Map<SocketAddress, Integer> maxConnectionsPerHost;

    private ReactivePoolConnectionProvider(ProviderOptions options) {
        this.options = options;
        this.registry = new HostPoolRegistry(options);
        Map<SocketAddress, Integer> perHost = new LinkedHashMap<>();
        options.perHost().forEach((address, settings) -> perHost.put(address, settings.maxConnections()));
        this.maxConnectionsPerHost = Map.copyOf(perHost);
    }

    /**
     * Starts building a provider.
     *
     * @param name a non-blank name, used as the prefix of each per-host pool's name (in log lines,
     *             exception messages and metrics); must not hold secrets
     * @return a builder with every option at its default
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Acquires a connection to the remote address from its host's pool, creating the pool on
     * first use. Called by Reactor Netty for every HTTP/1.1 request, and by its HTTP/2 pool to
     * open connections.
     */
    @Override
    public Mono<? extends Connection> acquire(TransportConfig config, ConnectionObserver connectionObserver,
                                              Supplier<? extends SocketAddress> remoteAddress,
                                              AddressResolverGroup<?> resolverGroup) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(connectionObserver, "connectionObserver");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        return Mono.create(sink -> {
            SocketAddress address = Objects.requireNonNull(remoteAddress.get(),
                    "Remote address supplier returned null");
            HostPool pool;
            try {
                pool = registry.getOrCreate(new HostPoolKey(address, config.channelHash()), config, resolverGroup);
            }
            catch (RuntimeException e) {
                sink.error(e);
                return;
            }
            pool.acquire(sink, connectionObserver, config);
        });
    }

    /**
     * Metrics of each remote host's pool: gauges (idle, leased, pending, creating, total),
     * counters and latencies. When clients with different pipeline configurations (TLS settings,
     * codecs) reach the same address, they have separate pools, whose figures are added up here.
     *
     * @return a new map from remote address (as the client gave it) to metrics
     */
    public Map<SocketAddress, PoolMetrics> metricsPerHost() {
        return registry.metricsPerHost();
    }

    HostPoolRegistry registry() {
        return registry;
    }

    /**
     * @return how many per-host pools are alive
     */
    public int poolCount() {
        return registry.size();
    }

    @Override
    public String name() {
        return options.name();
    }

    /**
     * The default maximum number of connections per host. Reactor Netty's HTTP/2 layer requires
     * it to be positive.
     */
    @Override
    public int maxConnections() {
        return options.defaults().maxConnections();
    }

    /** The per-host overrides of the maximum number of connections. */
    @Override
    public Map<SocketAddress, Integer> maxConnectionsPerHost() {
        return maxConnectionsPerHost;
    }

    /**
     * A Reactor Netty builder mirroring this provider's settings (limits, timeouts, lifetimes,
     * order, per-host overrides). Reactor Netty's HTTP/2 layer uses it to configure its own pool
     * of HTTP/2 connections in front of this provider; building it yields a Reactor Netty
     * provider, not this one.
     */
    @Override
    public ConnectionProvider.Builder mutate() {
        ConnectionProvider.Builder builder = ConnectionProvider.builder(options.name());
        applyTo(builder, options.defaults());
        builder.evictInBackground(options.evictionInterval());
        options.perHost().forEach((address, settings) -> builder.forRemoteHost(address, spec -> applyTo(spec, settings)));
        return builder;
    }

    private static void applyTo(ConnectionPoolSpec<?> spec, HostPoolSettings settings) {
        spec.maxConnections(settings.maxConnections())
                .pendingAcquireMaxCount(settings.maxPending() == Integer.MAX_VALUE ? -1 : settings.maxPending())
                .pendingAcquireTimeout(settings.pendingTimeout());
        if (!settings.idleTimeout().isZero()) {
            spec.maxIdleTime(settings.idleTimeout());
        }
        if (!settings.maxLifetime().isZero()) {
            spec.maxLifeTime(settings.maxLifetime());
        }
        if (settings.idleOrder() == dev.reactivepool.IdleOrder.LIFO) {
            spec.lifo();
        }
        else {
            spec.fifo();
        }
    }

    /** Closes and forgets the pools of {@code address}; later requests open new connections. */
    @Override
    public void disposeWhen(SocketAddress address) {
        registry.disposeWhen(Objects.requireNonNull(address, "address"));
    }

    /**
     * Disposes the provider without waiting: idle connections are closed, leased ones when they
     * are returned, and new requests fail.
     */
    @Override
    public void dispose() {
        registry.markDisposed();
        registry.closeAll().subscribe();
    }

    /**
     * Disposes the provider when subscribed.
     *
     * @return a Mono completing when every pool is closed, or after the
     *         {@linkplain Builder#disposeTimeout(Duration) dispose timeout}
     */
    @Override
    public Mono<Void> disposeLater() {
        return registry.closeAll();
    }

    @Override
    public boolean isDisposed() {
        return registry.isDisposed();
    }

    @Override
    public String toString() {
        return "ReactivePoolConnectionProvider{name='" + options.name() + "', pools=" + registry.size() + '}';
    }

    /**
     * Builds a {@link ReactivePoolConnectionProvider}. Per-host options set here are the defaults
     * of every host; {@link #forRemoteHost} overrides them for one host.
     */
    public static final class Builder {

        /** The default limit on per-host pools. */
        public static final int DEFAULT_MAX_CONNECTION_POOLS = 512;

        private final String name;
        private final HostPoolSpec defaults = new HostPoolSpec();
        private final Map<SocketAddress, Consumer<? super HostPoolSpec>> overrides = new LinkedHashMap<>();
        private Duration evictionInterval = Duration.ofSeconds(1);
        private Duration disposeTimeout = Duration.ofSeconds(30);
        private int maxConnectionPools = DEFAULT_MAX_CONNECTION_POOLS;

        private Builder(String name) {
            this.name = name;
        }

        /**
         * The hard limit on connections per host. See {@link HostPoolSpec#maxConnections(int)}.
         *
         * @param maxConnections from 1 to 100,000; default 16
         * @return this builder
         */
        public Builder maxConnections(int maxConnections) {
            defaults.maxConnections(maxConnections);
            return this;
        }

        /**
         * The idle cap per host. See {@link HostPoolSpec#maxIdle(int)}.
         *
         * @param maxIdle from 0 to {@code maxConnections}; default {@code maxConnections}
         * @return this builder
         */
        public Builder maxIdle(int maxIdle) {
            defaults.maxIdle(maxIdle);
            return this;
        }

        /**
         * The pending limit per host. See {@link HostPoolSpec#pendingAcquireMaxCount(int)}.
         *
         * @param maxPending at least 0, or -1 for unbounded; default {@code 2 * maxConnections}
         * @return this builder
         */
        public Builder pendingAcquireMaxCount(int maxPending) {
            defaults.pendingAcquireMaxCount(maxPending);
            return this;
        }

        /**
         * The pending timeout. See {@link HostPoolSpec#pendingAcquireTimeout(Duration)}.
         *
         * @param timeout positive, at most 365 days; default 45 s
         * @return this builder
         */
        public Builder pendingAcquireTimeout(Duration timeout) {
            defaults.pendingAcquireTimeout(timeout);
            return this;
        }

        /**
         * The idle timeout. See {@link HostPoolSpec#maxIdleTime(Duration)}.
         *
         * @param idleTimeout zero (disabled, the default) or positive, at most 365 days
         * @return this builder
         */
        public Builder maxIdleTime(Duration idleTimeout) {
            defaults.maxIdleTime(idleTimeout);
            return this;
        }

        /**
         * The maximum lifetime with jitter. See {@link HostPoolSpec#maxLifeTime(Duration, Duration)}.
         *
         * @param maxLifetime zero (disabled, the default) or positive, at most 365 days
         * @param jitter      from zero to less than {@code maxLifetime}
         * @return this builder
         */
        public Builder maxLifeTime(Duration maxLifetime, Duration jitter) {
            defaults.maxLifeTime(maxLifetime, jitter);
            return this;
        }

        /**
         * Reuses the connection idle longest first (the default).
         *
         * @return this builder
         */
        public Builder fifo() {
            defaults.fifo();
            return this;
        }

        /**
         * Reuses the connection released most recently first.
         *
         * @return this builder
         */
        public Builder lifo() {
            defaults.lifo();
            return this;
        }

        /**
         * Prefers an idle connection of the calling event loop. See
         * {@link HostPoolSpec#connectionAffinity(boolean)}.
         *
         * @param enabled true to prefer the calling event loop's idle connections; default false
         * @return this builder
         */
        public Builder connectionAffinity(boolean enabled) {
            defaults.connectionAffinity(enabled);
            return this;
        }

        /**
         * The period of each host pool's background task that closes connections past their idle
         * timeout or lifetime.
         *
         * @param interval from 1 ms to 365 days; default 1 s
         * @return this builder
         */
        public Builder evictInBackground(Duration interval) {
            this.evictionInterval = interval;
            return this;
        }

        /**
         * How long disposing waits for leased connections to come back before completing anyway.
         *
         * @param timeout zero or positive, at most 365 days; default 30 s
         * @return this builder
         */
        public Builder disposeTimeout(Duration timeout) {
            this.disposeTimeout = timeout;
            return this;
        }

        /**
         * The limit on per-host pools alive at once. At the limit, inactive pools are closed, the
         * least recently used first; if none is inactive a request for a new host fails with
         * {@link HostPoolLimitException}.
         *
         * @param maxPools at least 1; default 512
         * @return this builder
         */
        public Builder maxConnectionPools(int maxPools) {
            this.maxConnectionPools = maxPools;
            return this;
        }

        /**
         * Overrides options for one remote host. The spec given to {@code configurer} starts from
         * this builder's per-host options as they are when {@link #build()} runs.
         *
         * @param remoteAddress the host, as the client addresses it (for example
         *                      {@code InetSocketAddress.createUnresolved("api.example.com", 443)})
         * @param configurer    sets the host's options
         * @return this builder
         */
        public Builder forRemoteHost(SocketAddress remoteAddress, Consumer<? super HostPoolSpec> configurer) {
            overrides.put(Objects.requireNonNull(remoteAddress, "remoteAddress"),
                    Objects.requireNonNull(configurer, "configurer"));
            return this;
        }

        /**
         * Checks every option, the {@link #forRemoteHost} overrides included (their configurers run
         * here), and builds the provider. Options are checked with the core pool's ranges under the
         * names of this builder's methods, so that no request later fails on an option. Pools are
         * created on first use of each host.
         *
         * @return a new provider
         * @throws InvalidPoolConfigurationException naming the first option out of its range (for an
         *         override, the message ends with {@code (in forRemoteHost(<address>))})
         */
        public ReactivePoolConnectionProvider build() {
            Map<SocketAddress, HostPoolSettings> perHost = new LinkedHashMap<>();
            HostPoolSettings defaultSettings = defaults.toSettings();
            overrides.forEach((address, configurer) -> {
                HostPoolSpec spec = new HostPoolSpec(defaults);
                configurer.accept(spec);
                try {
                    perHost.put(address, spec.toSettings());
                } catch (InvalidPoolConfigurationException e) {
                    throw e.within("forRemoteHost(" + address + ")");
                }
            });
            ProviderOptions options = new ProviderOptions(name, defaultSettings, perHost, evictionInterval,
                    disposeTimeout, maxConnectionPools);
            return new ReactivePoolConnectionProvider(options);
        }
    }
}
