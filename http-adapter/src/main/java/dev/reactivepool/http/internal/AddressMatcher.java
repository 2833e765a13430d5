package dev.reactivepool.http.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * Decides whether an address given in the configuration (per-host overrides,
 * {@code disposeWhen}) designates the remote address of a pool, which is usually unresolved.
 */
final class AddressMatcher {

    private AddressMatcher() {
    }

    /**
     * @param configured the address from the configuration or the caller
     * @param actual     the remote address of a pool
     * @return true if equal, or if both are internet addresses on the same port and either the
     *         host names match or {@code configured} is the wildcard address
     */
    static boolean matches(SocketAddress configured, SocketAddress actual) {
        if (configured.equals(actual)) {
            return true;
        }
        if (configured instanceof InetSocketAddress c && actual instanceof InetSocketAddress a
                && c.getPort() == a.getPort()) {
            InetAddress address = c.getAddress();
            return (address != null && address.isAnyLocalAddress())
                    || Objects.equals(c.getHostString(), a.getHostString());
        }
        return false;
    }
}
