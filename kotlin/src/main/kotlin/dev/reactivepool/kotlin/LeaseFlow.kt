package dev.reactivepool.kotlin

import dev.reactivepool.Pool
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.emitAll
import kotlinx.coroutines.flow.flow

/**
 * A cold flow that leases an object when collected, emits the values of the flow [block] makes
 * with it, and returns the object when that collection ends: on completion, on failure and on
 * cancellation (including a downstream `take(n)` or `first()`). Each collection leases its own
 * object, with the same guarantees as [useLease].
 *
 * ```kotlin
 * val names: List<String> = pool.leaseFlow { conn -> conn.rows("select name from item") }.toList()
 * ```
 *
 * @param block makes the flow to run with the leased object; the object must not escape it
 * @return a cold flow of the values of [block]'s flow
 */
public fun <T : Any, R> Pool<T>.leaseFlow(block: (T) -> Flow<R>): Flow<R> = flow {
    useLease { obj -> emitAll(block(obj)) }
}
