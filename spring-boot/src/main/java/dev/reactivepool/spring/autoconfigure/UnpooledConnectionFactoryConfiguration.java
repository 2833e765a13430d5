package dev.reactivepool.spring.autoconfigure;

import dev.reactivepool.r2dbc.PooledConnectionFactoryOptions;
import dev.reactivepool.spring.InvalidPoolPropertyException;
import dev.reactivepool.spring.internal.SpringR2dbcPoolSettings;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.r2dbc.ConnectionFactoryBuilder;
import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;

/** {@code spring.r2dbc.pool.enabled=false}: the driver's factory, unpooled, as Boot would make it. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingBean(ConnectionFactory.class)
@ConditionalOnBooleanProperty(name = "spring.r2dbc.pool.enabled", havingValue = false)
final class UnpooledConnectionFactoryConfiguration {

    UnpooledConnectionFactoryConfiguration() {
    }

    @Bean(name = ReactivePoolR2dbcAutoConfiguration.BEAN_NAME)
    ConnectionFactory connectionFactory(R2dbcProperties properties, ObjectProvider<R2dbcConnectionDetails> details,
                                        ObjectProvider<ConnectionFactoryOptionsBuilderCustomizer> customizers,
                                        ObjectProvider<ConnectionFactoryDecorator> decorators,
                                        ResourceLoader resourceLoader) {
        ConnectionFactoryOptions options = ReactivePoolR2dbcAutoConfiguration.connectionOptions(properties, details, customizers, resourceLoader);
        if (PooledConnectionFactoryOptions.REACTIVEPOOL_DRIVER.equals(
                String.valueOf(options.getValue(ConnectionFactoryOptions.DRIVER)))) {
            throw new InvalidPoolPropertyException(SpringR2dbcPoolSettings.PREFIX + ".enabled", "enabled",
                    "is false (no pool) but spring.r2dbc.url names the reactivepool driver; remove one of the two",
                    null);
        }
        return ConnectionFactoryBuilder.withOptions(options.mutate())
                .decorators(decorators.orderedStream().toList()).build();
    }
}

