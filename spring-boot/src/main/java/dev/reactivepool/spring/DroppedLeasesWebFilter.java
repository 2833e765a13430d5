package dev.reactivepool.spring;

import dev.reactivepool.DroppedLeases;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Installs {@link DroppedLeases#discardHandler()} on every WebFlux request: a lease or pooled
 * connection that a Reactor operator of the request's chain discards (a {@code zip} whose sibling
 * failed, a {@code publishOn} queue emptied by a cancelled request, ...) goes back to its pool
 * instead of being lost. Ordered early so that it covers the other filters and the handler.
 * The starter registers it for reactive web applications unless
 * {@code reactivepool.webflux.discard-handler=false}.
 */
public final class DroppedLeasesWebFilter implements WebFilter, Ordered {

    /** Early, but after filters that must see the raw request first (such as forwarded headers). */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    /** Creates the filter. */
    public DroppedLeasesWebFilter() {
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return chain.filter(exchange).contextWrite(DroppedLeases.discardHandler());
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
