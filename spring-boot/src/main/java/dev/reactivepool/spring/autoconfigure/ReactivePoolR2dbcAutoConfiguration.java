package dev.reactivepool.spring.autoconfigure;

import dev.reactivepool.r2dbc.PooledConnectionFactory;
import dev.reactivepool.spring.internal.PropertiesR2dbcConnectionDetails;
import dev.reactivepool.spring.internal.R2dbcPoolsMeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.r2dbc.EmbeddedDatabaseConnection;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcInitializationAutoConfiguration;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcTransactionManagerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ResourceLoader;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Makes a reactive-pool {@link PooledConnectionFactory} the application's R2DBC
 * {@link ConnectionFactory}, configured by Spring Boot's own properties ({@code spring.r2dbc.url},
 * {@code username}, {@code password}, {@code properties.*}, {@code pool.*}) and
 * {@code reactivepool.r2dbc.*}, with or without r2dbc-pool on the class path, for driver URLs
 * ({@code r2dbc:postgresql://...}) and {@code r2dbc:reactivepool:} URLs alike.
 *
 * <p>It takes the place of Boot's {@code R2dbcAutoConfiguration} (left out by the starter's
 * import filter, see {@code R2dbcAutoConfigurationFilter}), defining what that defines: the
 * properties binding, the connection details, the ConnectionFactory and the DatabaseClient.
 * Boot's transaction manager, database initialization, health indicator and Spring Data R2DBC
 * auto-configurations then use the pool. Off with {@code reactivepool.r2dbc.enabled=false}, which
 * gives Boot's R2DBC auto-configuration back.
 *
 * <p>The pool is closed when the context closes: Spring awaits the {@code Mono} of
 * {@link PooledConnectionFactory#close()} on the closing thread (a destroy method returning a
 * publisher, supported since Spring Framework 6.1), so every server session has ended when the
 * context is closed, or {@code reactivepool.r2dbc.close-grace-period} has passed for connections
 * still borrowed. Beans that use the pool are destroyed before it.
 */
@AutoConfiguration(
        before = {R2dbcInitializationAutoConfiguration.class, R2dbcTransactionManagerAutoConfiguration.class},
        beforeName = {
                "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration",
                "org.springframework.boot.r2dbc.autoconfigure.health.ConnectionFactoryHealthContributorAutoConfiguration",
                "org.springframework.boot.r2dbc.autoconfigure.metrics.ConnectionPoolMetricsAutoConfiguration",
                "org.springframework.boot.data.r2dbc.autoconfigure.DataR2dbcAutoConfiguration"})
@ConditionalOnClass({ConnectionFactory.class, PooledConnectionFactory.class, R2dbcProperties.class})
@ConditionalOnBooleanProperty(name = "reactivepool.r2dbc.enabled", matchIfMissing = true)
@EnableConfigurationProperties({R2dbcProperties.class, ReactivePoolR2dbcProperties.class})
// Imported in this order, as Boot does: the DatabaseClient's condition sees the ConnectionFactory.
@Import({PooledConnectionFactoryConfiguration.class, UnpooledConnectionFactoryConfiguration.class,
        DatabaseClientConfiguration.class})
public final class ReactivePoolR2dbcAutoConfiguration {

    static final Logger LOG = Loggers.getLogger(ReactivePoolR2dbcAutoConfiguration.class);

    /** The bean's name, as Boot names it; also the pool's name unless one is set. */
    static final String BEAN_NAME = "connectionFactory";

    ReactivePoolR2dbcAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean(R2dbcConnectionDetails.class)
    @ConditionalOnProperty("spring.r2dbc.url")
    PropertiesR2dbcConnectionDetails reactivePoolR2dbcConnectionDetails(R2dbcProperties properties) {
        return new PropertiesR2dbcConnectionDetails(properties);
    }

    /** The options Boot would give its ConnectionFactory: connection details (or an embedded database), customized. */
    static ConnectionFactoryOptions connectionOptions(R2dbcProperties properties,
                                                      ObjectProvider<R2dbcConnectionDetails> details,
                                                      ObjectProvider<ConnectionFactoryOptionsBuilderCustomizer> customizers,
                                                      ResourceLoader resourceLoader) {
        R2dbcConnectionDetails connectionDetails = details.getIfAvailable();
        ConnectionFactoryOptions.Builder options;
        if (connectionDetails != null) {
            options = connectionDetails.getConnectionFactoryOptions().mutate();
        } else {
            EmbeddedDatabaseConnection embedded = EmbeddedDatabaseConnection.get(resourceLoader.getClassLoader());
            String name = properties.isGenerateUniqueName() ? properties.determineUniqueName()
                    : properties.getName() != null ? properties.getName() : "testdb";
            String url = embedded.getUrl(name);
            if (url == null) {
                throw new IllegalStateException("No R2DBC connection configured: set spring.r2dbc.url (for example "
                        + "r2dbc:postgresql://host:5432/database) or define an R2dbcConnectionDetails bean");
            }
            options = ConnectionFactoryOptions.parse(url).mutate()
                    .option(ConnectionFactoryOptions.USER, properties.getUsername() != null ? properties.getUsername() : "sa");
            if (properties.getPassword() != null && !properties.getPassword().isEmpty()) {
                options.option(ConnectionFactoryOptions.PASSWORD, properties.getPassword());
            }
        }
        customizers.orderedStream().forEach(customizer -> customizer.customize(options));
        return options.build();
    }

    /** The pools' meters, bound by Boot's metrics auto-configuration. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class Metrics {

        @Bean
        R2dbcPoolsMeterBinder reactivePoolR2dbcMeterBinder(ListableBeanFactory beanFactory) {
            return new R2dbcPoolsMeterBinder(beanFactory);
        }
    }
}
