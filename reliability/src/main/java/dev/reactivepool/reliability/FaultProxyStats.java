package dev.reactivepool.reliability;

/**
 * Figures of a {@link FaultProxy} since it started.
 *
 * @param accepted        connections accepted from clients
 * @param relayed         connections relayed to the upstream server
 * @param upstreamFailed  connections whose upstream connect failed (closed towards the client)
 * @param cut             connections reset by a {@link Fault#CUT}
 * @param blackHoled      connections that lost bytes to a {@link Fault#BLACK_HOLE}, or were accepted during one
 * @param open            client connections open now
 * @param openNeverRelayed client connections open now that were accepted during a black hole and
 *                        so never reached the server (a client that gave up on them and did not
 *                        close them leaves them here)
 * @param peakOpen        the most client connections open at once
 * @param upstreamOpen    upstream connections open now
 * @param peakUpstreamOpen the most upstream connections open at once
 * @param bytesToServer   bytes forwarded to the server
 * @param bytesToClient   bytes forwarded to clients
 * @param bytesDropped    bytes dropped by a black hole
 * @param chunksDelayed   chunks delayed by {@link Fault#LATENCY}
 * @param faultsInjected  switches to a fault other than {@link Fault#NONE}
 */
public record FaultProxyStats(long accepted, long relayed, long upstreamFailed, long cut, long blackHoled, int open,
                              int openNeverRelayed, int peakOpen, int upstreamOpen, int peakUpstreamOpen, long bytesToServer,
                              long bytesToClient, long bytesDropped, long chunksDelayed, long faultsInjected) {
}
