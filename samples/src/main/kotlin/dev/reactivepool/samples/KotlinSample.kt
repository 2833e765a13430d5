package dev.reactivepool.samples

import dev.reactivepool.Pool
import dev.reactivepool.PoolMetrics
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.reactive.awaitFirstOrNull
import kotlinx.coroutines.reactive.awaitSingle
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeoutOrNull

/**
 * What [runKotlinSample] did.
 *
 * @property first the row read with `withLease { }.awaitSingle()`
 * @property rows the rows read by the concurrent coroutines with [useLease]
 * @property timedOut whether the slow call was cut short by its timeout
 * @property metrics the pool's metrics before it was closed
 */
data class KotlinSampleOutcome(
    val first: String,
    val rows: List<String>,
    val timedOut: Boolean,
    val metrics: PoolMetrics,
)

/**
 * reactive-pool from Kotlin coroutines: the Reactor API through `awaitSingle()`, and the
 * [useLease] extension for suspending code. The pooled type is [ToyConnection], a stand-in for a
 * real connection.
 */
suspend fun runKotlinSample(): KotlinSampleOutcome = coroutineScope {
    val pool: Pool<ToyConnection> = Pool.builder(ToyConnection.connect())
        .maxSize(4)
        .validator(ToyConnection::ping)
        .destroyer(ToyConnection::close)
        .build()

    // Reactor style, awaited: withLease returns the connection when the Flux terminates.
    val first: String = pool.withLease { conn -> conn.query("select 1") }.awaitSingle()

    // Suspending style: 100 coroutines share 4 connections.
    val rows: List<String> = (1..100).map { i ->
        async {
            pool.useLease { conn ->
                delay(1) // any suspending work while the connection is leased
                conn.query("select $i").awaitSingle()
            }
        }
    }.awaitAll()

    // Cancellation returns the connection too: the timeout cancels the block.
    val slow: String? = withTimeoutOrNull(50) {
        pool.useLease { conn ->
            delay(10_000)
            conn.query("never").awaitSingle()
        }
    }

    val metrics = pool.metrics()
    pool.close().awaitFirstOrNull()
    KotlinSampleOutcome(first, rows, slow == null, metrics)
}

/** Runs the Kotlin sample and prints what it did. */
fun main() = runBlocking {
    val outcome = runKotlinSample()
    println(outcome.first)
    println("${outcome.rows.size} rows through ${outcome.metrics.created()} connections")
    println("slow call cut short: ${outcome.timedOut}; leased after all that: ${outcome.metrics.leased()}")
}
