package dev.reactivepool.samples

import dev.reactivepool.Lease
import dev.reactivepool.Pool
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.reactive.awaitFirstOrNull
import kotlinx.coroutines.suspendCancellableCoroutine
import kotlinx.coroutines.withContext
import kotlin.coroutines.resumeWithException

/**
 * Leases an object from the pool, runs [block] with it and returns it to the pool: when the
 * block returns, when it throws, and when the calling coroutine is cancelled.
 *
 * The object is released only after [block] has finished (in a `finally`, under
 * [NonCancellable]), so a cancelled block can never still be using an object that another
 * coroutine already got. Waiting for the lease suspends without blocking a thread, and is
 * cancellable: a lease delivered at the very moment the caller is cancelled is released, not lost.
 *
 * ```kotlin
 * val row = pool.useLease { conn -> conn.query("select 1").awaitSingle() }
 * ```
 *
 * @param block the work to do with the leased object; the object must not escape it
 * @return what [block] returned
 */
suspend fun <T : Any, R> Pool<T>.useLease(block: suspend (T) -> R): R {
    val lease = awaitLease()
    try {
        return block(lease.get())
    } finally {
        withContext(NonCancellable) {
            lease.release().awaitFirstOrNull()
        }
    }
}

/**
 * Suspends until the pool hands out a lease. `acquire().awaitSingle()` would drop a lease that
 * arrives just as the caller is cancelled; here the cancellation handler of `resume` releases it.
 */
private suspend fun <T : Any> Pool<T>.awaitLease(): Lease<T> = suspendCancellableCoroutine { continuation ->
    val subscription = acquire().subscribe(
        { lease -> continuation.resume(lease) { _, unwanted, _ -> unwanted.release().subscribe() } },
        { error -> continuation.resumeWithException(error) })
    // Cancelled before delivery: cancelling the acquire makes the pool keep the object.
    continuation.invokeOnCancellation { subscription.dispose() }
}
