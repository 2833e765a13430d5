package dev.reactivepool.http.internal;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;

import dev.reactivepool.InvalidPoolConfigurationException;

/**
 * The checked, immutable options of a provider.
 *
 * @param name             the provider's name, a prefix of every pool's name
 * @param defaults         the options of every host pool without an override
 * @param perHost          overrides by remote address
 * @param evictionInterval period of each pool's background eviction
 * @param disposeTimeout   how long closing a pool waits for leased connections
 * @param maxHostPools     limit on the number of per-host pools alive at once
 */
public record ProviderOptions(
        String name,
        HostPoolSettings defaults,
        Map<SocketAddress, HostPoolSettings> perHost,
        Duration evictionInterval,
        Duration disposeTimeout,
        int maxHostPools) {

    /**
     * Checks the provider-wide options.
     *
     * @throws InvalidPoolConfigurationException naming the offending option and its allowed range
     */
    public ProviderOptions {
        if (name == null || name.isBlank()) {
            throw new InvalidPoolConfigurationException("name", "must be a non-blank string, was '" + name + "'");
        }
        if (evictionInterval == null || evictionInterval.toMillis() < 1) {
            throw new InvalidPoolConfigurationException("evictInBackground",
                    "must be at least 1 ms, was " + evictionInterval);
        }
        HostPoolSettings.requireNotNegative("disposeTimeout", disposeTimeout);
        if (maxHostPools < 1) {
            throw new InvalidPoolConfigurationException("maxConnectionPools",
                    "must be at least 1, was " + maxHostPools);
        }
        perHost = Map.copyOf(perHost);
    }

    /**
     * @param remoteAddress a pool's remote address
     * @return the override matching the address, or the defaults
     */
    public HostPoolSettings settingsFor(SocketAddress remoteAddress) {
        HostPoolSettings exact = perHost.get(remoteAddress);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<SocketAddress, HostPoolSettings> entry : perHost.entrySet()) {
            if (AddressMatcher.matches(entry.getKey(), remoteAddress)) {
                return entry.getValue();
            }
        }
        return defaults;
    }
}
