package dev.reactivepool.spring.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.reactivepool.r2dbc.PooledConnectionFactoryOptions;
import io.r2dbc.spi.Option;

/**
 * The names of the R2DBC adapter's pool options, read from the public {@link Option} constants of
 * {@link PooledConnectionFactoryOptions} (the way R2DBC publishes a driver's options), so that
 * the starter follows the adapter when options are added.
 */
final class PooledOptionNames {

    private static final Set<String> ALL = read();

    private PooledOptionNames() {
    }

    /** @return every pool option name, in declaration order */
    static Set<String> all() {
        return ALL;
    }

    private static Set<String> read() {
        Set<String> names = new LinkedHashSet<>();
        for (Field field : PooledConnectionFactoryOptions.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && Option.class.isAssignableFrom(field.getType())) {
                try {
                    names.add(((Option<?>) field.get(null)).name());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return java.util.Collections.unmodifiableSet(names);
    }
}
