package dev.reactivepool.spring.autoconfigure;

import dev.reactivepool.http.ConnectionProviderMeterBinder;
import dev.reactivepool.http.ReactivePoolConnectionProvider;
import dev.reactivepool.spring.internal.HttpProviderFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.client.autoconfigure.reactive.ClientHttpConnectorBuilderCustomizer;
import org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import reactor.netty.http.client.HttpClient;

/**
 * Makes the {@code WebClient.Builder} that Spring Boot auto-configures use a
 * {@link ReactivePoolConnectionProvider} configured by {@code reactivepool.http.*}, through the
 * hook Boot documents for it: a {@link ClientHttpConnectorBuilderCustomizer} of the Reactor
 * connector. The customizer runs after Boot's own (order 0), which sets Boot's Reactor resources:
 * the client keeps Boot's event loops and gets the provider in place of Boot's connection pool.
 * The provider is disposed when the context closes and its per-host meters are bound. Off with
 * {@code reactivepool.http.enabled=false}.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration")
@ConditionalOnClass({ReactivePoolConnectionProvider.class, HttpClient.class, ClientHttpConnectorBuilderCustomizer.class,
        ReactorClientHttpConnectorBuilder.class})
@ConditionalOnBooleanProperty(name = "reactivepool.http.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ReactivePoolHttpProperties.class)
public final class ReactivePoolHttpAutoConfiguration {

    /** After Boot's Reactor resource customizer (order 0), so that our connection provider wins. */
    static final int CUSTOMIZER_ORDER = 10;

    ReactivePoolHttpAutoConfiguration() {
    }

    /*
     * Spring awaits the Mono that disposeLater() returns when the context closes, on the closing
     * thread (never an event loop); it completes when the host pools are closed or after
     * reactivepool.http.dispose-timeout.
     */
    @Bean(destroyMethod = "disposeLater")
    @ConditionalOnMissingBean
    ReactivePoolConnectionProvider reactivePoolConnectionProvider(ReactivePoolHttpProperties properties) {
        return HttpProviderFactory.create(properties);
    }

    @Bean
    @Order(CUSTOMIZER_ORDER)
    ClientHttpConnectorBuilderCustomizer<ReactorClientHttpConnectorBuilder> reactivePoolClientHttpConnectorBuilderCustomizer(
            ReactivePoolConnectionProvider provider) {
        return builder -> builder.withHttpClientFactory(() -> HttpClient.create(provider));
    }

    /** The provider's per-host meters, bound by Boot's metrics auto-configuration. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class Metrics {

        @Bean
        ConnectionProviderMeterBinder reactivePoolConnectionProviderMeterBinder(ReactivePoolConnectionProvider provider) {
            return new ConnectionProviderMeterBinder(provider);
        }
    }
}
