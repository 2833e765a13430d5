/**
 * Micrometer integration: {@link dev.reactivepool.micrometer.PoolMeterBinder} exposes a pool's
 * gauges, counters and timers. Needs {@code io.micrometer:micrometer-core} on the class path.
 */
package dev.reactivepool.micrometer;
