package dev.reactivepool.http.internal;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;

import dev.reactivepool.InvalidPoolConfigurationException;
import dev.reactivepool.internal.OptionRule;

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

    /** The limit on per-host pools: an option of the HTTP adapter only. */
    private static final OptionRule MAX_CONNECTION_POOLS = OptionRule.intRange("maxConnectionPools", 1,
            Integer.MAX_VALUE, "at least 1");

    /**
     * Checks the provider-wide options with the core's rules ({@link OptionRule}) under the names
     * of the HTTP builder's methods.
     *
     * @throws InvalidPoolConfigurationException naming the offending option and its allowed range
     */
    public ProviderOptions {
        OptionRule.NAME.checkGiven("name", name);
        OptionRule.EVICTION_INTERVAL.check("evictInBackground", evictionInterval);
        OptionRule.CLOSE_GRACE_PERIOD.check("disposeTimeout", disposeTimeout);
        MAX_CONNECTION_POOLS.check("maxConnectionPools", maxHostPools);
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
