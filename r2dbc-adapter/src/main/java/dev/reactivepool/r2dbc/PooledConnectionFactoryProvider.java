package dev.reactivepool.r2dbc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

import dev.reactivepool.InvalidPoolConfigurationException;
import dev.reactivepool.r2dbc.internal.OptionsAccess;
import dev.reactivepool.r2dbc.internal.R2dbcPoolAliases;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.ConnectionFactoryProvider;
import io.r2dbc.spi.Option;

/**
 * Makes the pooling factory discoverable by URL through the R2DBC SPI, with the driver name
 * {@code reactivepool}:
 * {@code r2dbc:reactivepool:postgresql://user@localhost:5432/db?maxSize=20&maxIdle=10&acquireTimeout=PT5S}.
 *
 * <p>The protocol part names the pooled driver (and, after a further colon, that driver's own
 * protocol). The options of {@link PooledConnectionFactoryOptions} configure the pool, and so do
 * r2dbc-pool's option names ({@code maxIdleTime}, {@code maxLifeTime}, {@code initialSize},
 * {@code maxAcquireTime}, ...; the mapping is in {@code docs/r2dbc-options.md}), so that an
 * {@code r2dbc:pool:} URL works with only its driver name changed; every other option goes to the
 * pooled driver. An option that is neither a pool option, nor a
 * standard R2DBC option, nor one the pooled driver declares is rejected with an
 * {@link InvalidPoolConfigurationException} naming it (a driver that declares no options as
 * {@code public static final Option} fields of its provider gets every other option unchecked).
 */
public final class PooledConnectionFactoryProvider implements ConnectionFactoryProvider {

    private static final Set<String> STANDARD_OPTIONS = OptionsAccess.declaredOptionNames(ConnectionFactoryOptions.class);

    /** Creates the provider; called by {@link ServiceLoader}. */
    public PooledConnectionFactoryProvider() {
    }

    @Override
    public boolean supports(ConnectionFactoryOptions options) {
        Object driver = options.getValue(ConnectionFactoryOptions.DRIVER);
        return driver != null && PooledConnectionFactoryOptions.REACTIVEPOOL_DRIVER.equals(driver.toString());
    }

    @Override
    public String getDriver() {
        return PooledConnectionFactoryOptions.REACTIVEPOOL_DRIVER;
    }

    /**
     * @param options options with driver {@code reactivepool} and the pooled driver as protocol
     * @return a {@link PooledConnectionFactory}
     * @throws InvalidPoolConfigurationException for a missing or unknown pooled driver, an unknown
     *         option or a malformed or out-of-range pool option
     */
    @Override
    public PooledConnectionFactory create(ConnectionFactoryOptions options) {
        Object protocolValue = options.getValue(ConnectionFactoryOptions.PROTOCOL);
        String protocol = protocolValue == null ? "" : protocolValue.toString().trim();
        if (protocol.isEmpty()) {
            throw new InvalidPoolConfigurationException("protocol", "must name the driver whose connections are "
                    + "pooled, as in r2dbc:reactivepool:postgresql://host:5432/database; none was given");
        }
        int colon = protocol.indexOf(':');
        String driver = colon < 0 ? protocol : protocol.substring(0, colon);
        String driverProtocol = colon < 0 ? "" : protocol.substring(colon + 1);
        if (driver.equals(PooledConnectionFactoryOptions.REACTIVEPOOL_DRIVER)) {
            throw new InvalidPoolConfigurationException("protocol", "names reactivepool itself; name the driver "
                    + "whose connections are pooled, as in r2dbc:reactivepool:postgresql://host:5432/database");
        }

        Map<Option<?>, Object> entries = OptionsAccess.entries(options);
        Map<String, Object> poolValues = new LinkedHashMap<>();
        List<String> driverOptionNames = new ArrayList<>();
        ConnectionFactoryOptions.Builder driverOptions = ConnectionFactoryOptions.builder();
        if (entries != null) {
            entries.forEach((option, value) -> {
                String name = option.name();
                if (PooledConnectionFactoryBuilder.isPoolOption(name)) {
                    poolValues.put(name, value);
                } else if (!option.equals(ConnectionFactoryOptions.DRIVER)
                        && !option.equals(ConnectionFactoryOptions.PROTOCOL)) {
                    putOption(driverOptions, option, value);
                    driverOptionNames.add(name);
                }
            });
        } else {
            driverOptions.from(options);
            for (Option<?> option : PooledConnectionFactoryOptions.ALL) {
                if (options.hasOption(option)) {
                    poolValues.put(option.name(), options.getValue(option));
                }
            }
            for (String alias : R2dbcPoolAliases.names()) {
                Option<Object> option = Option.valueOf(alias);
                if (options.hasOption(option)) {
                    poolValues.put(alias, options.getValue(option));
                }
            }
        }
        driverOptions.option(ConnectionFactoryOptions.DRIVER, driver);
        if (!driverProtocol.isEmpty()) {
            driverOptions.option(ConnectionFactoryOptions.PROTOCOL, driverProtocol);
        }
        ConnectionFactoryOptions delegateOptions = driverOptions.build();

        ConnectionFactoryProvider provider = findProvider(delegateOptions, driver);
        Set<String> declared = OptionsAccess.declaredOptionNames(provider.getClass());
        if (!declared.isEmpty()) {
            for (String name : driverOptionNames) {
                if (!STANDARD_OPTIONS.contains(name) && !declared.contains(name)) {
                    throw PooledConnectionFactoryBuilder.unknownOption(name, declared);
                }
            }
        }

        PooledConnectionFactoryBuilder builder = new PooledConnectionFactoryBuilder(provider.create(delegateOptions));
        builder.restoreDefaultsFrom(delegateOptions);
        poolValues.forEach(builder::option);
        return builder.build();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void putOption(ConnectionFactoryOptions.Builder builder, Option<?> option, Object value) {
        builder.option((Option) option, value);
    }

    private static ConnectionFactoryProvider findProvider(ConnectionFactoryOptions delegateOptions, String driver) {
        List<String> drivers = new ArrayList<>();
        ClassLoader loader = PooledConnectionFactoryProvider.class.getClassLoader();
        for (ConnectionFactoryProvider provider : ServiceLoader.load(ConnectionFactoryProvider.class, loader)) {
            if (provider instanceof PooledConnectionFactoryProvider) {
                continue;
            }
            drivers.add(provider.getDriver());
            if (provider.supports(delegateOptions)) {
                return provider;
            }
        }
        throw new InvalidPoolConfigurationException("driver", "no R2DBC driver on the class path accepts '" + driver
                + "' (the driver named after 'r2dbc:reactivepool:'); drivers found: " + drivers);
    }
}
