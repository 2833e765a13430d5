package dev.reactivepool.kotlin

import dev.reactivepool.Pool
import dev.reactivepool.kotlin.internal.awaitCancelSafe
import dev.reactivepool.kotlin.internal.awaitCompletion
import dev.reactivepool.kotlin.internal.poolReactorContext
import kotlinx.coroutines.currentCoroutineContext

/**
 * Creates objects until `minIdle` of them are idle ([Pool.warmup]), suspending until the
 * creations end. Cancelling the caller does not stop creations already started: their objects
 * still go to the pool.
 *
 * @return how many objects were created
 * @throws Throwable the first creation error, once all the creations ended
 */
public suspend fun Pool<*>.awaitWarmup(): Int =
    warmup().awaitCancelSafe(currentCoroutineContext().poolReactorContext()) { /* a count: nothing to give back */ }

/**
 * Closes the pool ([Pool.close]) and suspends until every object is destroyed or the close grace
 * period ended. Idempotent. Cancelling the caller stops the waiting, not the close.
 */
public suspend fun Pool<*>.awaitClose() {
    close().awaitCompletion(currentCoroutineContext().poolReactorContext())
}
