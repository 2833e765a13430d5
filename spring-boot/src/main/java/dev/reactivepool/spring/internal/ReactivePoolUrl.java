package dev.reactivepool.spring.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.BiConsumer;

import dev.reactivepool.InvalidPoolConfigurationException;
import dev.reactivepool.r2dbc.PooledConnectionFactoryOptions;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.ConnectionFactoryProvider;
import io.r2dbc.spi.Option;

/**
 * Splits the options of a {@code r2dbc:reactivepool:<driver>[:<protocol>]://...} URL into the
 * pooled driver's options and the pool's, the way the adapter's URL driver does: the standard
 * R2DBC options and those the driver declares (its provider's public {@link Option} constants)
 * stay with the driver; every other option of the URL goes to the pool.
 */
final class ReactivePoolUrl {

    private ReactivePoolUrl() {
    }

    /**
     * @param options    the URL's options (plus Boot's user, password and customizations)
     * @param url        the URL text, whose query names the options given in it; null if unknown
     * @param poolOption receives each pool option of the URL, by name
     * @return the pooled driver's options
     */
    static ConnectionFactoryOptions split(ConnectionFactoryOptions options, String url,
                                          BiConsumer<String, Object> poolOption) {
        Object protocolValue = options.getValue(ConnectionFactoryOptions.PROTOCOL);
        String protocol = protocolValue == null ? "" : protocolValue.toString().trim();
        if (protocol.isEmpty()) {
            throw new InvalidPoolConfigurationException("protocol", "must name the driver whose connections are "
                    + "pooled, as in r2dbc:reactivepool:postgresql://host:5432/database; none was given");
        }
        int colon = protocol.indexOf(':');
        String driver = colon < 0 ? protocol : protocol.substring(0, colon);
        String driverProtocol = colon < 0 ? "" : protocol.substring(colon + 1);

        Set<String> driverNames = new LinkedHashSet<>(optionNames(ConnectionFactoryOptions.class));
        driverNames.addAll(optionNames(provider(driver).getClass()));
        driverNames.remove(ConnectionFactoryOptions.DRIVER.name());
        driverNames.remove(ConnectionFactoryOptions.PROTOCOL.name());

        ConnectionFactoryOptions.Builder driverOptions = ConnectionFactoryOptions.builder()
                .option(ConnectionFactoryOptions.DRIVER, driver);
        if (!driverProtocol.isEmpty()) {
            driverOptions.option(ConnectionFactoryOptions.PROTOCOL, driverProtocol);
        }
        for (String name : driverNames) {
            Option<Object> option = Option.valueOf(name);
            if (options.hasOption(option)) {
                driverOptions.option(option, options.getValue(option));
            }
        }
        Set<String> poolNames = new LinkedHashSet<>(queryNames(url));
        poolNames.addAll(PooledOptionNames.all());
        for (String name : poolNames) {
            Option<Object> option = Option.valueOf(name);
            if (!driverNames.contains(name) && options.hasOption(option)) {
                poolOption.accept(name, options.getValue(option));
            }
        }
        return driverOptions.build();
    }

    private static ConnectionFactoryProvider provider(String driver) {
        for (ConnectionFactoryProvider provider : ServiceLoader.load(ConnectionFactoryProvider.class,
                ReactivePoolUrl.class.getClassLoader())) {
            if (driver.equals(provider.getDriver())
                    && !PooledConnectionFactoryOptions.REACTIVEPOOL_DRIVER.equals(provider.getDriver())) {
                return provider;
            }
        }
        throw new InvalidPoolConfigurationException("driver", "no R2DBC driver on the class path is named '" + driver
                + "' (the driver named after 'r2dbc:reactivepool:')");
    }

    /** The names of the public static {@link Option} constants of a class: how R2DBC publishes options. */
    private static Set<String> optionNames(Class<?> type) {
        Set<String> names = new LinkedHashSet<>();
        for (Field field : type.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && Option.class.isAssignableFrom(field.getType())) {
                try {
                    names.add(((Option<?>) field.get(null)).name());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return names;
    }

    /** The option names in the URL's query string. */
    private static Set<String> queryNames(String url) {
        Set<String> names = new LinkedHashSet<>();
        int query = url == null ? -1 : url.indexOf('?');
        if (query < 0) {
            return names;
        }
        for (String pair : url.substring(query + 1).split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            if (!name.isEmpty()) {
                names.add(URLDecoder.decode(name, StandardCharsets.UTF_8));
            }
        }
        return names;
    }
}
