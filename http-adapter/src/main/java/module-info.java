/**
 * The HTTP adapter: a Reactor Netty {@code ConnectionProvider} backed by one reactive pool per
 * remote host.
 */
module dev.reactivepool.http {
    requires transitive dev.reactivepool;
    // ConnectionProvider, Connection and TransportConfig appear in the API.
    requires transitive reactor.netty.core;
    requires transitive io.netty.resolver;
    requires io.netty.transport;
    requires io.netty.common;
    // Optional: whoever binds the metrics to Micrometer has micrometer.core already.
    requires static micrometer.core;

    exports dev.reactivepool.http;
}
