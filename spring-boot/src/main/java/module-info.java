/**
 * The Spring Boot starter: auto-configuration of a pooled R2DBC {@code ConnectionFactory} and of
 * the Reactor Netty HTTP client's connection provider.
 */
module dev.reactivepool.spring {
    requires transitive dev.reactivepool;
    requires dev.reactivepool.r2dbc;
    requires dev.reactivepool.http;
    requires spring.boot;
    requires spring.boot.autoconfigure;
    requires spring.beans;
    requires spring.context;
    requires spring.core;
    requires spring.web;
    requires reactor.netty.http;
    // Each integration applies only when its Spring module is present.
    requires static spring.boot.r2dbc;
    requires static spring.boot.http.client;
    requires static spring.boot.webflux;
    requires static spring.r2dbc;
    requires static micrometer.core;
    requires static micrometer.observation;

    exports dev.reactivepool.spring;
    exports dev.reactivepool.spring.autoconfigure;

    // Spring creates and binds these classes reflectively (auto-configurations, properties,
    // the META-INF/spring.factories entries).
    opens dev.reactivepool.spring.autoconfigure to spring.core, spring.beans, spring.context, spring.boot;
    opens dev.reactivepool.spring.internal to spring.core, spring.beans, spring.context, spring.boot;
}
