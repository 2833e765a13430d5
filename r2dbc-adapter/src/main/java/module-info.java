/**
 * The R2DBC adapter: a pooled {@code io.r2dbc.spi.ConnectionFactory}, also found by
 * {@code ConnectionFactories} through the {@code pool:} URL driver.
 */
module dev.reactivepool.r2dbc {
    requires transitive dev.reactivepool;
    requires transitive r2dbc.spi;

    // Optional: the meter binder with our names or OpenTelemetry's (dev.reactivepool.r2dbc.micrometer).
    requires static micrometer.core;

    exports dev.reactivepool.r2dbc;
    exports dev.reactivepool.r2dbc.micrometer;

    provides io.r2dbc.spi.ConnectionFactoryProvider with dev.reactivepool.r2dbc.PooledConnectionFactoryProvider;
    // The pool: driver wraps whichever driver the URL names, found the same way.
    uses io.r2dbc.spi.ConnectionFactoryProvider;
}
