package dev.reactivepool.spring.internal;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Leaves Spring Boot's {@code R2dbcAutoConfiguration} out while the starter provides the
 * ConnectionFactory ({@code reactivepool.r2dbc.enabled}, true by default).
 *
 * <p>Backing off through {@code @ConditionalOnMissingBean} is not enough: Boot's pool condition
 * runs while configuration classes are parsed, before any bean exists, and stops startup with
 * {@code MissingR2dbcPoolDependencyException} whenever a {@code spring.r2dbc.pool.*} property is
 * set and r2dbc-pool is absent. The starter's auto-configuration defines everything Boot's would
 * (the properties binding, the connection details, the ConnectionFactory and the DatabaseClient);
 * Boot's other R2DBC auto-configurations (transactions, initialization, health, Spring Data) run
 * unchanged.
 */
public final class R2dbcAutoConfigurationFilter implements AutoConfigurationImportFilter, EnvironmentAware,
        BeanClassLoaderAware {

    static final String BOOT_R2DBC = "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration";

    private Environment environment;
    private ClassLoader classLoader = getClass().getClassLoader();

    /** Created by Spring Boot through {@code META-INF/spring.factories}. */
    public R2dbcAutoConfigurationFilter() {
    }

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanClassLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    @Override
    public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        boolean replace = replacesBootR2dbc();
        boolean[] matches = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < autoConfigurationClasses.length; i++) {
            matches[i] = !(replace && BOOT_R2DBC.equals(autoConfigurationClasses[i]));
        }
        return matches;
    }

    /** The same conditions as the starter's R2DBC auto-configuration. */
    private boolean replacesBootR2dbc() {
        ClassLoader loader = classLoader;
        return (environment == null || environment.getProperty("reactivepool.r2dbc.enabled", Boolean.class, true))
                && ClassUtils.isPresent("io.r2dbc.spi.ConnectionFactory", loader)
                && ClassUtils.isPresent("dev.reactivepool.r2dbc.PooledConnectionFactory", loader)
                && ClassUtils.isPresent("org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties", loader);
    }
}
