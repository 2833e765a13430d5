package dev.reactivepool.spring.autoconfigure;

import dev.reactivepool.r2dbc.PooledConnectionFactory;
import dev.reactivepool.spring.InvalidPoolPropertyException;
import dev.reactivepool.spring.internal.InitialConnections;
import dev.reactivepool.spring.internal.PropertiesR2dbcConnectionDetails;
import dev.reactivepool.spring.internal.R2dbcPoolFactory;
import dev.reactivepool.spring.internal.SpringR2dbcPoolSettings;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
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

/** The pool (the default). */
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
                                              ResourceLoader resourceLoader) {
        ConnectionFactoryOptions options = ReactivePoolR2dbcAutoConfiguration.connectionOptions(properties, details, customizers, resourceLoader);
        SpringR2dbcPoolSettings spring = SpringR2dbcPoolSettings.bind(environment);
        PooledConnectionFactory factory = R2dbcPoolFactory.create(options,
                    details.getIfAvailable() instanceof PropertiesR2dbcConnectionDetails ? properties.getUrl() : null,
                    decorators.orderedStream().toList(),
                spring, ours, ReactivePoolR2dbcAutoConfiguration.BEAN_NAME);
        Integer initialSize = spring.getInitialSize();
        if (initialSize != null) {
            int maxSize = factory.metrics().maxSize();
            if (initialSize < 0 || initialSize > maxSize) {
                factory.close().subscribe();
                throw new InvalidPoolPropertyException(SpringR2dbcPoolSettings.PREFIX + ".initial-size",
                        "initialSize", "must be between 0 and " + SpringR2dbcPoolSettings.PREFIX + ".max-size ("
                                + maxSize + "), was " + initialSize, null);
            }
            // In the background: startup does not wait for the database, as with r2dbc-pool.
            InitialConnections.open(factory, initialSize).subscribe(null, error -> ReactivePoolR2dbcAutoConfiguration.LOG.warn(
                    "Pool '{}': could not open the {} initial connections: {}", factory.name(), initialSize,
                    error.toString()));
        }
        return factory;
    }
}

