package dev.reactivepool.kotlin

import dev.reactivepool.Pool
import dev.reactivepool.PoolMetrics
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlin.time.Duration

/**
 * A cold flow of the pool's [metrics snapshots][Pool.metrics]: one at once, then one every
 * [period] (timed with `delay`, so by the collector's dispatcher). It completes after the first
 * snapshot taken once the pool has started closing.
 *
 * ```kotlin
 * pool.metricsFlow(10.seconds).collect { m -> log.info("leased={} pending={}", m.leased(), m.pending()) }
 * ```
 *
 * @param period the time between two snapshots, positive
 * @return a cold flow of snapshots
 * @throws IllegalArgumentException if [period] is not positive
 */
public fun Pool<*>.metricsFlow(period: Duration): Flow<PoolMetrics> {
    require(period.isPositive()) { "metricsFlow period must be positive, was $period" }
    return flow {
        while (true) {
            val closing = isDisposed
            emit(metrics())
            if (closing) break
            delay(period)
        }
    }
}
