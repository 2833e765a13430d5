package dev.reactivepool.http;

import java.net.SocketAddress;

/**
 * Signalled to a request that needs a new per-host pool when the provider already holds its
 * {@linkplain ReactivePoolConnectionProvider.Builder#maxConnectionPools(int) maximum number of
 * pools} and none of them is inactive. Many pools usually mean a client configuration without a
 * stable hash, such as an {@code SslContext} built per request (Reactor Netty issue #3315): build
 * the client once and reuse it.
 */
public final class HostPoolLimitException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** The configured limit of host pools that was reached. */
    private final int maxPools;

    /**
     * @param providerName  the provider's name
     * @param maxPools      the configured limit
     * @param remoteAddress the address the new pool was for
     */
    public HostPoolLimitException(String providerName, int maxPools, SocketAddress remoteAddress) {
        super("ConnectionProvider '" + providerName + "': cannot create a pool for " + remoteAddress + ", "
                + maxPools + " per-host pools (maxConnectionPools) are alive and all in use. A client "
                + "configuration without a stable hash (e.g. an SslContext built per request) creates a "
                + "pool per request: build the client once and reuse it");
        this.maxPools = maxPools;
    }

    /** @return the configured maximum number of per-host pools */
    public int maxPools() {
        return maxPools;
    }
}
