package dev.reactivepool.kotlin

import dev.reactivepool.Pool
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.reactor.ReactorContext
import kotlinx.coroutines.reactor.asCoroutineContext
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import reactor.core.publisher.Mono
import reactor.util.context.Context
import java.util.concurrent.CopyOnWriteArrayList

/** A value the caller puts in its ReactorContext reaches the pool's callbacks. */
class ReactorContextTest {

    private val allocatorSaw = CopyOnWriteArrayList<String>()
    private val validatorSaw = CopyOnWriteArrayList<String>()

    private suspend fun who(): String =
        currentCoroutineContext()[ReactorContext]?.context?.getOrDefault("who", "nobody") ?: "no ReactorContext"

    @Test
    fun `the DSL's suspend allocator and validator see the caller's ReactorContext`(): Unit = runBlocking {
        val pool: Pool<Item> = reactivePool {
            allocator {
                allocatorSaw += who()
                Item(1)
            }
            validator {
                validatorSaw += who()
                true
            }
            maxSize = 1
        }
        try {
            withContext(Context.of("who", "first caller").asCoroutineContext()) { pool.useLease { } }
            withContext(Context.of("who", "second caller").asCoroutineContext()) { pool.useLease { } }
            pool.useLease { }
        } finally {
            pool.awaitClose()
        }

        // Created for the first caller, then validated for each later one.
        assertThat(allocatorSaw).containsExactly("first caller")
        assertThat(validatorSaw).containsExactly("second caller", "nobody")
    }

    @Test
    fun `awaitLease carries the ReactorContext and the discard handler to a Java-built pool's callbacks`(): Unit = runBlocking {
        val pool: Pool<Item> = Pool.builder(Mono.deferContextual { ctx ->
            allocatorSaw += ctx.getOrDefault("who", "nobody")!!
            if (ctx.hasKey("reactor.onDiscard.local")) allocatorSaw += "discard handler"
            Mono.just(Item(1))
        }).maxSize(1).build()
        try {
            withContext(Context.of("who", "caller").asCoroutineContext()) {
                val lease = pool.awaitLease()
                lease.release().subscribe()
            }
        } finally {
            pool.awaitClose()
        }

        assertThat(allocatorSaw).containsExactly("caller", "discard handler")
    }
}
