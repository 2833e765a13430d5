package dev.reactivepool.kotlin.internal

import dev.reactivepool.DroppedLeases
import kotlinx.coroutines.reactor.ReactorContext
import reactor.util.context.Context
import kotlin.coroutines.CoroutineContext

/**
 * The Reactor context the bridge subscribes with: the coroutine's [ReactorContext] (so the
 * pool's allocator and validator, and a driver, see the caller's tracing or security context),
 * plus the core's discard handler, so that an operator in the chain that discards a lease or a
 * pooled connection hands it back to its pool.
 */
internal fun CoroutineContext.poolReactorContext(): Context =
    DroppedLeases.withDiscardHandler(this[ReactorContext]?.context ?: Context.empty())
