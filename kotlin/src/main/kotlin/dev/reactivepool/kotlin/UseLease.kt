package dev.reactivepool.kotlin

import dev.reactivepool.Pool
import dev.reactivepool.kotlin.internal.runThenCleanUp
import dev.reactivepool.kotlin.internal.awaitCompletion
import dev.reactivepool.kotlin.internal.poolReactorContext
import kotlinx.coroutines.currentCoroutineContext

/**
 * Leases an object ([awaitLease]), runs [block] with it and returns it to the pool: when the
 * block returns, when it throws and when the coroutine is cancelled.
 *
 * The object is released only after [block] has finished — a block that ignores cancellation
 * keeps its object until it returns — and the release is awaited under
 * [kotlinx.coroutines.NonCancellable], so the next borrower never shares the object with a block
 * still running. If the release fails, its error is added as suppressed to the block's error, or
 * thrown if the block returned.
 *
 * ```kotlin
 * val row = pool.useLease { conn -> conn.query("select 1") }
 * ```
 *
 * @param block the work to do with the object; the object must not escape it
 * @return what [block] returned
 */
public suspend fun <T : Any, R> Pool<T>.useLease(block: suspend (T) -> R): R {
    val context = currentCoroutineContext().poolReactorContext()
    val lease = awaitLease()
    return runThenCleanUp({ block(lease.get()) }) { lease.release().awaitCompletion(context) }
}
