/**
 * Micrometer integration: {@link dev.reactivepool.micrometer.PoolMeterBinder} exposes a pool's
 * gauges, counters and timers (needs {@code io.micrometer:micrometer-core});
 * {@link dev.reactivepool.micrometer.PoolObservation} observes acquires that wait, for tracing
 * (needs {@code io.micrometer:micrometer-observation}). Both are optional dependencies.
 */
package dev.reactivepool.micrometer;
