package dev.reactivepool.r2dbc.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;

/**
 * What the R2DBC SPI does not expose: the list of options present in a
 * {@link ConnectionFactoryOptions}, and the options a driver declares. Both are needed to reject
 * unknown options, since the SPI only answers "is this option present".
 *
 * <p>The SPI jar is an automatic module, whose packages are open, so reading its private field
 * works on the class path and the module path; if it ever fails, callers fall back to looking up
 * the known options by name (and unknown options then go undetected).
 */
public final class OptionsAccess {

    private static final Field OPTIONS_FIELD = findOptionsField();

    private OptionsAccess() {
    }

    private static Field findOptionsField() {
        try {
            Field field = ConnectionFactoryOptions.class.getDeclaredField("options");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * @param options the options
     * @return every option present and its value, in a new map; null if they cannot be listed
     */
    public static Map<Option<?>, Object> entries(ConnectionFactoryOptions options) {
        if (OPTIONS_FIELD == null) {
            return null;
        }
        try {
            Object map = OPTIONS_FIELD.get(options);
            if (!(map instanceof Map<?, ?> raw)) {
                return null;
            }
            Map<Option<?>, Object> copy = new LinkedHashMap<>();
            raw.forEach((key, value) -> copy.put((Option<?>) key, value));
            return copy;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The names of the {@link Option} constants a class declares as public static fields, which
     * is how the SPI and its drivers publish the options they read.
     *
     * @param type a driver's provider class, or {@link ConnectionFactoryOptions}
     * @return the option names, possibly empty
     */
    public static Set<String> declaredOptionNames(Class<?> type) {
        Set<String> names = new LinkedHashSet<>();
        for (Field field : type.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && Option.class.isAssignableFrom(field.getType())) {
                try {
                    Object option = field.get(null);
                    if (option instanceof Option<?> o) {
                        names.add(o.name());
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // A field we cannot read is one option less to recognise; nothing breaks.
                }
            }
        }
        return Collections.unmodifiableSet(names);
    }
}
