package dev.reactivepool.http.internal;

import java.net.SocketAddress;

/**
 * Identifies one per-host pool: the remote address and the hash of the client's pipeline
 * configuration ({@link reactor.netty.transport.TransportConfig#channelHash()}), so that clients
 * with different codecs, TLS or proxy settings never share connections.
 *
 * @param remoteAddress the remote address as the client gave it (often unresolved)
 * @param channelHash   the configuration hash of the client that created the pool
 */
public record HostPoolKey(SocketAddress remoteAddress, int channelHash) {
}
