package dev.reactivepool.kotlin.internal

import kotlinx.coroutines.reactor.ReactorContext
import reactor.util.context.Context
import kotlin.coroutines.CoroutineContext

/**
 * The Reactor context the bridge subscribes to the pool with: the coroutine's [ReactorContext]
 * (so the pool's allocator and validator, and a driver, see the caller's tracing or security
 * context).
 */
internal fun CoroutineContext.poolReactorContext(): Context =
    this[ReactorContext]?.context ?: Context.empty()
