package dev.reactivepool.spring.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.reactivepool.IdleOrder;
import dev.reactivepool.InvalidPoolConfigurationException;
import dev.reactivepool.http.HostPoolSpec;
import dev.reactivepool.http.ReactivePoolConnectionProvider;
import dev.reactivepool.spring.InvalidPoolPropertyException;
import dev.reactivepool.spring.autoconfigure.HostPoolProperties;
import dev.reactivepool.spring.autoconfigure.ReactivePoolHttpProperties;
import dev.reactivepool.spring.autoconfigure.RemoteHostPoolProperties;

/**
 * Builds the WebClient's {@link ReactivePoolConnectionProvider} from {@code reactivepool.http.*}.
 * A bad value fails with {@link InvalidPoolPropertyException} naming the property, including the
 * override of one host ({@code reactivepool.http.hosts[0].max-idle}).
 */
public final class HttpProviderFactory {

    private static final String PREFIX = "reactivepool.http.";

    private HttpProviderFactory() {
    }

    /**
     * @param properties the properties
     * @return a new provider; the caller disposes it
     * @throws InvalidPoolPropertyException naming the property of an out-of-range option
     */
    public static ReactivePoolConnectionProvider create(ReactivePoolHttpProperties properties) {
        // Defaults first, then each host alone, so that an error is charged to the right property.
        build(properties, null, PREFIX).dispose();
        List<RemoteHostPoolProperties> hosts = properties.getHosts();
        for (int i = 0; i < hosts.size(); i++) {
            build(properties, List.of(hosts.get(i)), PREFIX + "hosts[" + i + "].").dispose();
        }
        return build(properties, hosts, PREFIX);
    }

    private static ReactivePoolConnectionProvider build(ReactivePoolHttpProperties properties,
                                                        List<RemoteHostPoolProperties> hosts, String prefix) {
        OptionSources sources = new OptionSources(known(prefix), prefix.substring(0, prefix.length() - 1));
        try {
            ReactivePoolConnectionProvider.Builder builder = ReactivePoolConnectionProvider.builder(properties.getName());
            applyDefaults(builder, properties);
            if (hosts != null) {
                for (RemoteHostPoolProperties host : hosts) {
                    builder.forRemoteHost(address(host.getAddress(), prefix), spec -> applyHost(spec, properties, host));
                }
            }
            return builder.build();
        } catch (InvalidPoolConfigurationException e) {
            throw sources.translate(e);
        }
    }

    private static void applyDefaults(ReactivePoolConnectionProvider.Builder builder, ReactivePoolHttpProperties p) {
        if (p.getMaxConnections() != null) {
            builder.maxConnections(p.getMaxConnections());
        }
        if (p.getMaxIdle() != null) {
            builder.maxIdle(p.getMaxIdle());
        }
        if (p.getPendingAcquireMaxCount() != null) {
            builder.pendingAcquireMaxCount(p.getPendingAcquireMaxCount());
        }
        if (p.getPendingAcquireTimeout() != null) {
            builder.pendingAcquireTimeout(p.getPendingAcquireTimeout());
        }
        if (p.getMaxIdleTime() != null) {
            builder.maxIdleTime(p.getMaxIdleTime());
        }
        if (p.getMaxLifeTime() != null || p.getMaxLifeTimeJitter() != null) {
            builder.maxLifeTime(orZero(p.getMaxLifeTime()), orZero(p.getMaxLifeTimeJitter()));
        }
        if (p.getIdleOrder() == IdleOrder.LIFO) {
            builder.lifo();
        }
        if (p.getConnectionAffinity() != null) {
            builder.connectionAffinity(p.getConnectionAffinity());
        }
        if (p.getEvictionInterval() != null) {
            builder.evictInBackground(p.getEvictionInterval());
        }
        if (p.getDisposeTimeout() != null) {
            builder.disposeTimeout(p.getDisposeTimeout());
        }
        if (p.getMaxConnectionPools() != null) {
            builder.maxConnectionPools(p.getMaxConnectionPools());
        }
    }

    /** A host's spec starts from the provider's settings; only what the host sets changes. */
    private static void applyHost(HostPoolSpec spec, ReactivePoolHttpProperties defaults, HostPoolProperties host) {
        if (host.getMaxConnections() != null) {
            spec.maxConnections(host.getMaxConnections());
        }
        if (host.getMaxIdle() != null) {
            spec.maxIdle(host.getMaxIdle());
        }
        if (host.getPendingAcquireMaxCount() != null) {
            spec.pendingAcquireMaxCount(host.getPendingAcquireMaxCount());
        }
        if (host.getPendingAcquireTimeout() != null) {
            spec.pendingAcquireTimeout(host.getPendingAcquireTimeout());
        }
        if (host.getMaxIdleTime() != null) {
            spec.maxIdleTime(host.getMaxIdleTime());
        }
        if (host.getMaxLifeTime() != null || host.getMaxLifeTimeJitter() != null) {
            spec.maxLifeTime(orZero(host.getMaxLifeTime() != null ? host.getMaxLifeTime() : defaults.getMaxLifeTime()),
                    orZero(host.getMaxLifeTimeJitter() != null ? host.getMaxLifeTimeJitter()
                            : defaults.getMaxLifeTimeJitter()));
        }
        if (host.getIdleOrder() == IdleOrder.LIFO) {
            spec.lifo();
        } else if (host.getIdleOrder() == IdleOrder.FIFO) {
            spec.fifo();
        }
        if (host.getConnectionAffinity() != null) {
            spec.connectionAffinity(host.getConnectionAffinity());
        }
    }

    /** "api.example.com:443" as the client addresses it (unresolved). */
    private static InetSocketAddress address(String key, String prefix) {
        int colon = key == null ? -1 : key.lastIndexOf(':');
        int port = -1;
        if (colon > 0) {
            try {
                port = Integer.parseInt(key.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (port < 1 || port > 65535) {
            throw new InvalidPoolPropertyException(prefix + "address", "address",
                    "must be host:port with a port from 1 to 65535, was " + (key == null ? "not set" : "'" + key + "'"),
                    null);
        }
        return InetSocketAddress.createUnresolved(key.substring(0, colon), port);
    }

    private static Duration orZero(Duration value) {
        return value != null ? value : Duration.ZERO;
    }

    /** The adapter's option names (and the core's, where an adapter passes its error on) and their properties. */
    private static Map<String, String> known(String prefix) {
        Map<String, String> known = new LinkedHashMap<>();
        known.put("maxConnections", prefix + "max-connections");
        known.put("maxSize", prefix + "max-connections");
        known.put("maxIdle", prefix + "max-idle");
        known.put("pendingAcquireMaxCount", prefix + "pending-acquire-max-count");
        known.put("maxPending", prefix + "pending-acquire-max-count");
        known.put("pendingAcquireTimeout", prefix + "pending-acquire-timeout");
        known.put("acquireTimeout", prefix + "pending-acquire-timeout");
        known.put("maxIdleTime", prefix + "max-idle-time");
        known.put("idleTimeout", prefix + "max-idle-time");
        known.put("maxLifeTime", prefix + "max-life-time");
        known.put("maxLifetime", prefix + "max-life-time");
        known.put("maxLifeTimeJitter", prefix + "max-life-time-jitter");
        known.put("maxLifetimeJitter", prefix + "max-life-time-jitter");
        known.put("idleOrder", prefix + "idle-order");
        known.put("connectionAffinity", prefix + "connection-affinity");
        known.put("name", PREFIX + "name");
        known.put("evictInBackground", PREFIX + "eviction-interval");
        known.put("evictionInterval", PREFIX + "eviction-interval");
        known.put("disposeTimeout", PREFIX + "dispose-timeout");
        known.put("maxConnectionPools", PREFIX + "max-connection-pools");
        return known;
    }
}
