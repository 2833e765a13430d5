/**
 * The R2DBC adapter: a pooled {@code io.r2dbc.spi.ConnectionFactory}, also found by
 * {@code ConnectionFactories} through the {@code pool:} URL driver.
 */
module dev.reactivepool.r2dbc {
    requires transitive dev.reactivepool;
    requires transitive r2dbc.spi;

    exports dev.reactivepool.r2dbc;

    provides io.r2dbc.spi.ConnectionFactoryProvider with dev.reactivepool.r2dbc.PooledConnectionFactoryProvider;
    // The pool: driver wraps whichever driver the URL names, found the same way.
    uses io.r2dbc.spi.ConnectionFactoryProvider;
}
