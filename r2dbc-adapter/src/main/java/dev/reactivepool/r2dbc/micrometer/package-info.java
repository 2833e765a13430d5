/**
 * Micrometer meters of a pooling R2DBC connection factory, under reactive-pool's names or under
 * the OpenTelemetry database-client connection names
 * ({@link dev.reactivepool.r2dbc.micrometer.ConnectionPoolMeterBinder}). Micrometer is an
 * optional dependency of the adapter: only this package needs it.
 */
package dev.reactivepool.r2dbc.micrometer;
