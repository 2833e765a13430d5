package dev.reactivepool.spring.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.reactivepool.InvalidPoolConfigurationException;
import dev.reactivepool.PoolListener;
import dev.reactivepool.r2dbc.PooledConnectionFactory;
import dev.reactivepool.r2dbc.PooledConnectionFactoryBuilder;
import dev.reactivepool.r2dbc.PooledConnectionFactoryOptions;
import dev.reactivepool.spring.InvalidPoolPropertyException;
import dev.reactivepool.spring.autoconfigure.ReactivePoolR2dbcProperties;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import org.springframework.boot.r2dbc.ConnectionFactoryBuilder;
import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Builds the application's {@link PooledConnectionFactory} from Boot's connection options and the
 * pool properties: {@code spring.r2dbc.pool.*} (Boot's names for r2dbc-pool's options, given to
 * the adapter under r2dbc-pool's names, which it maps to its own) and {@code reactivepool.r2dbc.*}.
 *
 * The driver's factory is made by Boot's own {@link ConnectionFactoryBuilder}, so that Boot's
 * decorators apply to it and Boot's tools that need an options-capable factory (database
 * initialization, the health indicator) find it by unwrapping the pool, as under r2dbc-pool. With
 * a {@code r2dbc:reactivepool:<driver>:...} URL the driver named after {@code reactivepool} is
 * the one pooled; the URL's options that the driver does not declare go to the pool (read by the
 * adapter's builder, which names an unknown one and suggests the closest), and a pool property
 * wins over the same option in the URL.
 *
 * A bad option fails with {@link InvalidPoolPropertyException} naming the property.
 */
public final class R2dbcPoolFactory {

    /** The property holding the URL, named in errors about options given in the URL. */
    public static final String URL_PROPERTY = "spring.r2dbc.url";

    private static final Logger LOG = Loggers.getLogger(R2dbcPoolFactory.class);
    private static final String SPRING = SpringR2dbcPoolSettings.PREFIX + ".";
    private static final String OURS = "reactivepool.r2dbc.";

    /**
     * Boot's r2dbc-pool properties by the r2dbc-pool option each one is (the adapter accepts those
     * names with r2dbc-pool's meaning, so a property means what it meant under r2dbc-pool: see
     * docs/r2dbc-options.md), then the adapter's own option each one ends up setting.
     */
    private static final Map<String, String> SPRING_NAMES = springNames();

    private R2dbcPoolFactory() {
    }

    private static Map<String, String> springNames() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("maxSize", SPRING + "max-size");
        names.put("minIdle", SPRING + "min-idle");
        names.put("initialSize", SPRING + "initial-size");
        names.put("maxIdleTime", SPRING + "max-idle-time");
        names.put("maxLifeTime", SPRING + "max-life-time");
        names.put("maxAcquireTime", SPRING + "max-acquire-time");
        names.put("maxCreateConnectionTime", SPRING + "max-create-connection-time");
        names.put("maxValidationTime", SPRING + "max-validation-time");
        names.put("validationQuery", SPRING + "validation-query");
        names.put("validationDepth", SPRING + "validation-depth");
        // The adapter's names of the same options, as they appear in range messages.
        names.put("idleTimeout", SPRING + "max-idle-time");
        names.put("maxLifetime", SPRING + "max-life-time");
        names.put("acquireTimeout", SPRING + "max-acquire-time");
        names.put("createTimeout", SPRING + "max-create-connection-time");
        names.put("validationTimeout", SPRING + "max-validation-time");
        return names;
    }

    /**
     * @return for every adapter option a property can set, that property
     */
    public static Map<String, String> knownProperties() {
        Map<String, String> known = new LinkedHashMap<>(SPRING_NAMES);
        for (String option : PooledOptionNames.all()) {
            known.putIfAbsent(option, OURS + kebab(option));
        }
        return known;
    }

    /**
     * Builds the pool.
     *
     * @param options    the connection options (Boot's connection details, customizers applied)
     * @param url        {@code spring.r2dbc.url}, or null if the options come from elsewhere
     * @param decorators Boot's connection factory decorators, applied to the driver's factory
     * @param spring     the {@code spring.r2dbc.pool.*} properties set
     * @param ours       the {@code reactivepool.r2dbc.*} properties
     * @param beanName   the bean's name, the pool's name unless one is set
     * @param listeners  lifecycle listeners of the pool, in order (see {@link PoolListeners})
     * @return a pool, not yet warmed up ({@code initial-size} and {@code min-idle} set its {@code minIdle})
     * @throws InvalidPoolPropertyException naming the property of an out-of-range option
     */
    public static PooledConnectionFactory create(ConnectionFactoryOptions options, String url,
                                                 List<ConnectionFactoryDecorator> decorators,
                                                 SpringR2dbcPoolSettings spring, ReactivePoolR2dbcProperties ours,
                                                 String beanName, List<PoolListener<Object>> listeners) {
        OptionSources sources = new OptionSources(knownProperties(), URL_PROPERTY);
        Object driver = options.getValue(ConnectionFactoryOptions.DRIVER);
        if ("pool".equals(String.valueOf(driver))) {
            throw new InvalidPoolPropertyException(URL_PROPERTY, "driver", "names r2dbc-pool (r2dbc:pool:...), "
                    + "which would pool reactive-pool's connections a second time; write the driver's URL "
                    + "(r2dbc:postgresql://...) or r2dbc:reactivepool:postgresql://...", null);
        }
        if (spring.getAcquireRetry() != null) {
            LOG.info("{}acquire-retry has no effect with reactive-pool: a connection that fails validation is replaced "
                    + "before it is handed out, and a failed connection attempt reaches its caller", SPRING);
        }
        ConnectionFactoryOptions driverOptions = options;
        ConnectionFactoryOptions.Builder poolOptions = ConnectionFactoryOptions.builder();
        try {
            if (PooledConnectionFactoryOptions.REACTIVEPOOL_DRIVER.equals(String.valueOf(driver))) {
                driverOptions = ReactivePoolUrl.split(options, url, (name, value) -> {
                    put(poolOptions, name, value);
                    sources.record(name, URL_PROPERTY + " (option " + name + ")");
                });
            }
            Map<String, Object> values = propertyValues(spring, ours, sources);
            if (!driverOptions.hasOption(PooledConnectionFactoryOptions.NAME)
                    && !options.hasOption(PooledConnectionFactoryOptions.NAME)) {
                values.putIfAbsent("name", beanName);
            }
            ConnectionFactory driverFactory = ConnectionFactoryBuilder.withOptions(driverOptions.mutate())
                    .decorators(decorators).build();
            // The standard timeouts given to the driver are the values restored on returned connections.
            copy(driverOptions, poolOptions, ConnectionFactoryOptions.STATEMENT_TIMEOUT);
            copy(driverOptions, poolOptions, ConnectionFactoryOptions.LOCK_WAIT_TIMEOUT);
            values.forEach((name, value) -> put(poolOptions, name, value));
            PooledConnectionFactoryBuilder builder = PooledConnectionFactory.builder(driverFactory)
                    .options(poolOptions.build());
            listeners.forEach(builder::listener);
            return builder.build();
        } catch (InvalidPoolConfigurationException e) {
            throw sources.translate(e);
        }
    }

    private static Map<String, Object> propertyValues(SpringR2dbcPoolSettings spring, ReactivePoolR2dbcProperties ours,
                                                      OptionSources sources) {
        Map<String, Object> values = new LinkedHashMap<>();
        Recorder spr = (option, value) -> {
            if (value != null) {
                values.put(option, value);
                sources.record(option, SPRING_NAMES.get(option));
            }
        };
        spr.put("maxSize", spring.getMaxSize());
        spr.put("minIdle", spring.getMinIdle());
        spr.put("initialSize", spring.getInitialSize());
        spr.put("maxIdleTime", spring.getMaxIdleTime());
        spr.put("maxLifeTime", spring.getMaxLifeTime());
        spr.put("maxAcquireTime", spring.getMaxAcquireTime());
        spr.put("maxCreateConnectionTime", spring.getMaxCreateConnectionTime());
        spr.put("maxValidationTime", spring.getMaxValidationTime());
        String query = spring.getValidationQuery();
        spr.put("validationQuery", query != null && !query.isBlank() ? query : null);
        spr.put("validationDepth", spring.getValidationDepth());

        Recorder own = (option, value) -> {
            if (value != null) {
                values.put(option, value);
                sources.record(option, OURS + kebab(option));
            }
        };
        own.put("name", ours.getName());
        own.put("maxIdle", ours.getMaxIdle());
        own.put("maxPending", ours.getMaxPending());
        own.put("destroyTimeout", ours.getDestroyTimeout());
        own.put("skipValidationWithin", ours.getSkipValidationWithin());
        own.put("remoteValidationAfterIdle", ours.getRemoteValidationAfterIdle());
        own.put("resetTimeout", ours.getResetTimeout());
        own.put("resetQuery", ours.getResetQuery());
        own.put("maxLifetimeJitter", ours.getMaxLifetimeJitter());
        own.put("maxUses", ours.getMaxUses());
        own.put("idleOrder", ours.getIdleOrder());
        own.put("evictionInterval", ours.getEvictionInterval());
        own.put("leakDetectionThreshold", ours.getLeakDetectionThreshold());
        own.put("creationBackoffInitial", ours.getCreationBackoffInitial());
        own.put("creationBackoffMax", ours.getCreationBackoffMax());
        own.put("closeGracePeriod", ours.getCloseGracePeriod());
        own.put("holdTimeSampling", ours.getHoldTimeSampling());
        own.put("defaultStatementTimeout", ours.getDefaultStatementTimeout());
        own.put("defaultLockWaitTimeout", ours.getDefaultLockWaitTimeout());
        own.put("deliverOnConnectionThread", ours.getDeliverOnConnectionThread());
        own.put("maxSizeLimit", ours.getMaxSizeLimit());
        own.put("registerJmx", ours.getRegisterJmx());
        return values;
    }

    /** Puts one option given by a property. */
    @FunctionalInterface
    private interface Recorder {
        void put(String option, Object value);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void put(ConnectionFactoryOptions.Builder builder, String name, Object value) {
        builder.option((Option) Option.valueOf(name), value);
    }

    private static void copy(ConnectionFactoryOptions from, ConnectionFactoryOptions.Builder to, Option<?> option) {
        Object value = from.getValue(option);
        if (value != null) {
            put(to, option.name(), value);
        }
    }

    /** maxLifetimeJitter -> max-lifetime-jitter, the property form of an option name. */
    static String kebab(String camel) {
        StringBuilder out = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
