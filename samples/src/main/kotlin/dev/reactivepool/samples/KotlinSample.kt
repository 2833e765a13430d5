package dev.reactivepool.samples

import dev.reactivepool.Pool
import dev.reactivepool.PoolMetrics
import dev.reactivepool.kotlin.awaitClose
import dev.reactivepool.kotlin.leaseFlow
import dev.reactivepool.kotlin.reactivePool
import dev.reactivepool.kotlin.useLease
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.reactive.asFlow
import kotlinx.coroutines.reactive.awaitFirstOrNull
import kotlinx.coroutines.reactive.awaitSingle
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeoutOrNull
import kotlin.time.Duration.Companion.seconds

/**
 * What [runKotlinSample] did.
 *
 * @property first the row read with `withLease { }.awaitSingle()`
 * @property rows the rows read by the concurrent coroutines with `useLease`
 * @property streamed the rows streamed with `leaseFlow`
 * @property timedOut whether the slow call was cut short by its timeout
 * @property metrics the pool's metrics before it was closed
 */
data class KotlinSampleOutcome(
    val first: String,
    val rows: List<String>,
    val streamed: List<String>,
    val timedOut: Boolean,
    val metrics: PoolMetrics,
)

/**
 * reactive-pool from Kotlin coroutines with reactive-pool-kotlin: a pool built with the DSL and
 * suspend callbacks, the Reactor API awaited, `useLease` and `leaseFlow`. The pooled type is
 * [ToyConnection], a stand-in for a real connection.
 */
suspend fun runKotlinSample(): KotlinSampleOutcome = coroutineScope {
    val pool: Pool<ToyConnection> = reactivePool {
        allocator { ToyConnection.connect().awaitSingle() }
        validator { conn -> conn.ping().awaitSingle() }
        destroyer { conn -> conn.close().awaitFirstOrNull() }
        maxSize = 4
        acquireTimeout = 5.seconds
    }

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

    // A Flow that holds one connection while it is collected.
    val streamed: List<String> = pool.leaseFlow { conn -> conn.query("select 2").asFlow() }.toList()

    // Cancellation returns the connection too: the timeout cancels the block.
    val slow: String? = withTimeoutOrNull(50) {
        pool.useLease { conn ->
            delay(10_000)
            conn.query("never").awaitSingle()
        }
    }

    val metrics = pool.metrics()
    pool.awaitClose()
    KotlinSampleOutcome(first, rows, streamed, slow == null, metrics)
}

/** Runs the Kotlin sample and prints what it did. */
fun main() = runBlocking {
    val outcome = runKotlinSample()
    println(outcome.first)
    println("${outcome.rows.size} rows through ${outcome.metrics.created()} connections")
    println("streamed: ${outcome.streamed}")
    println("slow call cut short: ${outcome.timedOut}; leased after all that: ${outcome.metrics.leased()}")
}
