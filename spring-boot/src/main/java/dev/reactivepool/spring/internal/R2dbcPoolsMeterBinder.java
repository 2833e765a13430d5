package dev.reactivepool.spring.internal;

import dev.reactivepool.micrometer.PoolMeterBinder;
import dev.reactivepool.r2dbc.PooledConnectionFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Binds the meters of every reactive-pool R2DBC pool among the application's ConnectionFactory
 * beans (unwrapping decorators), tagged {@code pool=<pool name>} and, as Spring Boot tags
 * r2dbc-pool's meters, {@code name=<bean name>}. Spring Boot's metrics auto-configuration binds
 * every {@link MeterBinder} bean once its registries exist.
 */
public final class R2dbcPoolsMeterBinder implements MeterBinder {

    private final ListableBeanFactory beanFactory;

    /** @param beanFactory where to find the ConnectionFactory beans */
    public R2dbcPoolsMeterBinder(ListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        beanFactory.getBeansOfType(ConnectionFactory.class, false, false).forEach((beanName, factory) -> {
            PooledConnectionFactory pool = unwrap(factory);
            if (pool != null) {
                new PoolMeterBinder(pool.pool(), Tags.of("name", beanName)).bindTo(registry);
            }
        });
    }

    private static PooledConnectionFactory unwrap(Object candidate) {
        for (int depth = 0; candidate != null && depth < 10; depth++) {
            if (candidate instanceof PooledConnectionFactory pooled) {
                return pooled;
            }
            candidate = candidate instanceof Wrapped<?> wrapped ? wrapped.unwrap() : null;
        }
        return null;
    }
}
