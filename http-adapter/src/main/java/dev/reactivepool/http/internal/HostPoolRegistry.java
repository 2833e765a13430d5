package dev.reactivepool.http.internal;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import dev.reactivepool.PoolMetrics;
import dev.reactivepool.http.HostPoolLimitException;
import io.netty.resolver.AddressResolverGroup;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.transport.TransportConfig;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The per-host pools of one provider, keyed by remote address and pipeline configuration hash.
 *
 * <p>The number of pools is bounded: a client whose configuration has no stable hash (an
 * {@code SslContext} built per request, Reactor Netty issue #3315) would otherwise create a pool
 * per request. When the bound is reached, inactive pools (nothing leased, opening or waiting) are
 * retired, the least recently used first; if none is inactive the request fails with
 * {@link HostPoolLimitException}.
 *
 * <p>Lock-free: lookups are plain {@link ConcurrentHashMap} reads; a pool created by a thread
 * that loses the {@code putIfAbsent} race is closed at once (a new pool holds no connection).
 */
public final class HostPoolRegistry {

    private static final Logger log = Loggers.getLogger(HostPoolRegistry.class);

    private final ProviderOptions options;
    private final ConcurrentHashMap<HostPoolKey, HostPool> pools = new ConcurrentHashMap<>();
    // Copy-on-write list, replaced with a CAS: listeners are added rarely and read on every
    // pool creation or removal.
    private final AtomicReference<List<HostPoolListener>> listeners = new AtomicReference<>(List.of());
    private volatile boolean disposed;

    /** @param options the provider's options */
    public HostPoolRegistry(ProviderOptions options) {
        this.options = options;
    }

    /**
     * The pool for {@code key}, created with the requesting client's configuration if absent.
     *
     * @throws IllegalStateException if the provider is disposed
     * @throws HostPoolLimitException if the pool limit is reached and no pool is inactive
     */
    public HostPool getOrCreate(HostPoolKey key, TransportConfig config, AddressResolverGroup<?> resolverGroup) {
        HostPool existing = pools.get(key);
        if (existing != null) {
            return existing;
        }
        checkNotDisposed();
        if (pools.size() >= options.maxHostPools()) {
            retireInactive(pools.size() - options.maxHostPools() + 1);
            if (pools.size() >= options.maxHostPools()) {
                throw new HostPoolLimitException(options.name(), options.maxHostPools(), key.remoteAddress());
            }
        }
        HostPool created = new HostPool(key, this, config, resolverGroup, options);
        HostPool raced = pools.putIfAbsent(key, created);
        if (raced != null) {
            created.close().subscribe();
            return raced;
        }
        if (disposed) {
            // Lost a race with dispose(): do not leave the new pool behind.
            pools.remove(key, created);
            created.close().subscribe();
            checkNotDisposed();
        }
        for (HostPoolListener listener : listeners.get()) {
            listener.onCreated(created);
        }
        return created;
    }

    /**
     * Adds a listener told about pools created and removed from now on.
     *
     * @param listener the listener
     */
    public void addListener(HostPoolListener listener) {
        listeners.updateAndGet(current -> {
            List<HostPoolListener> next = new ArrayList<>(current);
            next.add(listener);
            return List.copyOf(next);
        });
    }

    /** @return the pools alive now */
    public List<HostPool> pools() {
        return List.copyOf(pools.values());
    }

    private Mono<Void> removed(HostPool pool) {
        for (HostPoolListener listener : listeners.get()) {
            listener.onRemoved(pool);
        }
        return pool.close();
    }

    private void checkNotDisposed() {
        if (disposed) {
            throw new IllegalStateException("ConnectionProvider '" + options.name() + "' is disposed");
        }
    }

    /** Retires up to {@code wanted} inactive pools, empty and least recently used ones first. */
    private void retireInactive(int wanted) {
        List<HostPool> candidates = new ArrayList<>();
        for (HostPool pool : pools.values()) {
            if (pool.isInactive()) {
                candidates.add(pool);
            }
        }
        candidates.sort(Comparator.comparingInt((HostPool p) -> p.metrics().total())
                .thenComparingLong(HostPool::lastUsedNanos));
        int retired = 0;
        for (HostPool pool : candidates) {
            if (retired >= wanted) {
                break;
            }
            if (pools.remove(pool.key(), pool)) {
                pool.retire();
                removed(pool).subscribe(null, e -> log.debug("Closing retired pool failed", e));
                retired++;
            }
        }
        if (retired > 0) {
            log.debug("ConnectionProvider '{}': retired {} inactive pool(s) at the limit of {}",
                    options.name(), retired, options.maxHostPools());
        }
    }

    /** Closes and forgets the pools of {@code address}. */
    public void disposeWhen(SocketAddress address) {
        for (HostPool pool : pools.values()) {
            if (AddressMatcher.matches(address, pool.key().remoteAddress()) && pools.remove(pool.key(), pool)) {
                removed(pool).subscribe(null, e -> log.debug("Closing pool failed", e));
            }
        }
    }

    /**
     * Marks the registry disposed and closes every pool when subscribed.
     *
     * @return a Mono completing when every pool is closed
     */
    public Mono<Void> closeAll() {
        return Mono.defer(() -> {
            disposed = true;
            List<Mono<Void>> closing = new ArrayList<>();
            for (HostPool pool : pools.values()) {
                if (pools.remove(pool.key(), pool)) {
                    closing.add(removed(pool));
                }
            }
            return Flux.merge(closing).then();
        });
    }

    /** Marks the registry disposed without closing anything yet. */
    public void markDisposed() {
        disposed = true;
    }

    /** @return true once the provider is disposed */
    public boolean isDisposed() {
        return disposed;
    }

    /** @return how many per-host pools are alive */
    public int size() {
        return pools.size();
    }

    /**
     * Metrics by remote address. When several pools serve one address (clients with different
     * pipeline configurations), their figures are added up.
     *
     * @return a new map, in no particular order
     */
    public Map<SocketAddress, PoolMetrics> metricsPerHost() {
        Map<SocketAddress, PoolMetrics> result = new LinkedHashMap<>();
        for (HostPool pool : pools.values()) {
            result.merge(pool.key().remoteAddress(), pool.metrics(), MetricsSum::add);
        }
        return result;
    }
}
