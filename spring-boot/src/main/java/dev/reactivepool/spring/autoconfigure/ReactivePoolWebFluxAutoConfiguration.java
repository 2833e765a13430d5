package dev.reactivepool.spring.autoconfigure;

import dev.reactivepool.DroppedLeases;
import dev.reactivepool.spring.DroppedLeasesWebFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.server.WebFilter;

/**
 * Registers {@link DroppedLeasesWebFilter} in reactive web applications, so that leases and pooled
 * connections discarded by a request's operators go back to their pools. Off with
 * {@code reactivepool.webflux.discard-handler=false}.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({WebFilter.class, DroppedLeases.class})
@ConditionalOnBooleanProperty(name = "reactivepool.webflux.discard-handler", matchIfMissing = true)
public final class ReactivePoolWebFluxAutoConfiguration {

    ReactivePoolWebFluxAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    DroppedLeasesWebFilter droppedLeasesWebFilter() {
        return new DroppedLeasesWebFilter();
    }
}
