package dev.reactivepool.spring.autoconfigure;

import dev.reactivepool.PoolListener;
import dev.reactivepool.r2dbc.PooledConnectionFactory;
import dev.reactivepool.spring.internal.PoolListeners;
import dev.reactivepool.spring.internal.PropertiesR2dbcConnectionDetails;
import dev.reactivepool.spring.internal.R2dbcPoolFactory;
import dev.reactivepool.spring.internal.SpringR2dbcPoolSettings;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * The pool (the default), with the application's {@code PoolListener<Object>} beans and, when the
 * application has an {@code ObservationRegistry}, observations of acquires that wait.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingBean(ConnectionFactory.class)
@ConditionalOnBooleanProperty(name = "spring.r2dbc.pool.enabled", matchIfMissing = true)
final class PooledConnectionFactoryConfiguration {

    PooledConnectionFactoryConfiguration() {
    }

    @Bean(name = ReactivePoolR2dbcAutoConfiguration.BEAN_NAME, destroyMethod = "close")
    PooledConnectionFactory connectionFactory(R2dbcProperties properties,
                                              ObjectProvider<R2dbcConnectionDetails> details,
                                              ObjectProvider<ConnectionFactoryOptionsBuilderCustomizer> customizers,
                                              ObjectProvider<ConnectionFactoryDecorator> decorators,
                                              ReactivePoolR2dbcProperties ours, Environment environment,
                                              ResourceLoader resourceLoader,
                                              ObjectProvider<PoolListener<Object>> listeners,
                                              BeanFactory beanFactory) {
        ConnectionFactoryOptions options = ReactivePoolR2dbcAutoConfiguration.connectionOptions(properties, details,
                customizers, resourceLoader);
        // The URL's text names the options given in it; connection details from elsewhere have none.
        String url = details.getIfAvailable() instanceof PropertiesR2dbcConnectionDetails ? properties.getUrl() : null;
        PooledConnectionFactory factory = R2dbcPoolFactory.create(options, url, decorators.orderedStream().toList(),
                SpringR2dbcPoolSettings.bind(environment), ours, ReactivePoolR2dbcAutoConfiguration.BEAN_NAME,
                PoolListeners.of(listeners.orderedStream(), beanFactory));
        // initial-size and min-idle: open them now, in the background (startup does not wait for
        // the database, as with r2dbc-pool); the pool keeps them from then on.
        factory.warmup().subscribe(null, error -> ReactivePoolR2dbcAutoConfiguration.LOG.warn(
                "Pool '{}': could not open its initial connections: {}", factory.name(), error.toString()));
        return factory;
    }
}

