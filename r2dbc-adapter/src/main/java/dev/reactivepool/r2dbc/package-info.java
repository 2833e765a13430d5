/**
 * A pooling R2DBC {@link io.r2dbc.spi.ConnectionFactory} backed by reactive-pool: built in code
 * with {@link dev.reactivepool.r2dbc.PooledConnectionFactory#builder(io.r2dbc.spi.ConnectionFactory)}
 * or found by URL ({@code r2dbc:reactivepool:<driver>://...}) through
 * {@link dev.reactivepool.r2dbc.PooledConnectionFactoryProvider}. Options are listed in
 * {@link dev.reactivepool.r2dbc.PooledConnectionFactoryOptions}.
 */
package dev.reactivepool.r2dbc;
