package dev.reactivepool.spring.internal;

import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;

/**
 * Boot's {@code spring.r2dbc.url}, {@code username}, {@code password}, {@code name} and
 * {@code properties.*} as connection details, read the way Boot's R2DBC auto-configuration reads
 * them (which the starter replaces): a value in the URL wins over the separate property.
 */
public final class PropertiesR2dbcConnectionDetails implements R2dbcConnectionDetails {

    private final R2dbcProperties properties;

    /** @param properties Boot's R2DBC properties; the URL must be set */
    public PropertiesR2dbcConnectionDetails(R2dbcProperties properties) {
        this.properties = properties;
    }

    @Override
    public ConnectionFactoryOptions getConnectionFactoryOptions() {
        String url = properties.getUrl();
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("spring.r2dbc.url is not set");
        }
        ConnectionFactoryOptions urlOptions = ConnectionFactoryOptions.parse(url);
        ConnectionFactoryOptions.Builder builder = urlOptions.mutate();
        setIfAbsent(builder, urlOptions, ConnectionFactoryOptions.USER, properties.getUsername());
        setIfAbsent(builder, urlOptions, ConnectionFactoryOptions.PASSWORD, properties.getPassword());
        String database = properties.isGenerateUniqueName() ? properties.determineUniqueName() : properties.getName();
        setIfAbsent(builder, urlOptions, ConnectionFactoryOptions.DATABASE, database);
        properties.getProperties().forEach((key, value) -> builder.option(Option.valueOf(key), value));
        return builder.build();
    }

    private static <T extends CharSequence> void setIfAbsent(ConnectionFactoryOptions.Builder builder,
                                                             ConnectionFactoryOptions urlOptions, Option<T> option,
                                                             T value) {
        if (!urlOptions.hasOption(option) && value != null && value.length() > 0) {
            builder.option(option, value);
        }
    }

    @Override
    public String toString() {
        // Never the URL or the options: both may hold the password.
        return "PropertiesR2dbcConnectionDetails";
    }
}
