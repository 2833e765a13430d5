package dev.reactivepool.kotlin

import dev.reactivepool.AcquireTimeoutException
import dev.reactivepool.DroppedLeases
import dev.reactivepool.Lease
import dev.reactivepool.Pool
import dev.reactivepool.kotlin.internal.awaitCancelSafe
import dev.reactivepool.kotlin.internal.poolReactorContext
import kotlinx.coroutines.currentCoroutineContext
import kotlin.time.Duration
import kotlin.time.toJavaDuration

/**
 * Suspends, without blocking a thread, until the pool hands out a lease, and returns it. The
 * caller owns the lease and must release it; prefer [useLease], which does.
 *
 * Cancellation is safe at any instant: cancelled while waiting, the acquire is cancelled and the
 * pool keeps its object; a lease delivered at the very moment of the cancellation (or after it,
 * which Reactive Streams allows) is released, never lost — by the bridge itself, whether or not
 * the core's global `onNextDropped` hook is installed. The pool is subscribed with the
 * coroutine's [kotlinx.coroutines.reactor.ReactorContext], so its allocator and validator see the
 * caller's Reactor context, plus [DroppedLeases.discardHandler].
 *
 * @param timeout how long to wait at most (waiting, creating and validating); null for the
 *                pool's acquire timeout. Positive, at most 365 days.
 * @return a lease the caller must release
 * @throws AcquireTimeoutException when the timeout elapses
 * @throws dev.reactivepool.PoolExhaustedException when `maxPending` acquirers are already waiting
 * @throws dev.reactivepool.PoolClosedException when the pool is closed
 * @throws IllegalArgumentException for a timeout out of range
 */
public suspend fun <T : Any> Pool<T>.awaitLease(timeout: Duration? = null): Lease<T> {
    val acquire = if (timeout == null) acquire() else acquire(timeout.toJavaDuration())
    return acquire.awaitCancelSafe(currentCoroutineContext().poolReactorContext()) { DroppedLeases.reclaim(it) }
}
