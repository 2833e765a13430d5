package dev.reactivepool.kotlin

import dev.reactivepool.Pool
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.flowOf
import kotlinx.coroutines.flow.onEach
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import reactor.core.publisher.Mono
import java.util.concurrent.CopyOnWriteArrayList

class LeaseFlowTest {

    private val events = CopyOnWriteArrayList<String>()
    private val pool: Pool<Item> = Pool.builder(Mono.fromSupplier { Item(1) })
        .maxSize(1)
        .resetter { item -> Mono.fromRunnable { events += "reset $item" } }
        .build()

    @AfterEach
    fun close(): Unit = runBlocking { pool.awaitClose() }

    @Test
    fun `the lease is held while the flow is collected and released when it completes`(): Unit = runBlocking {
        val values = pool.leaseFlow { item -> flowOf("a", "b").onEach { events += "$it on $item leased=${pool.metrics().leased()}" } }
            .toList()

        assertThat(values).containsExactly("a", "b")
        assertThat(events).containsExactly("a on item 1 leased=1", "b on item 1 leased=1", "reset item 1")
    }

    @Test
    fun `a cold flow leases again on each collection`(): Unit = runBlocking {
        val flow = pool.leaseFlow { item -> flowOf(item.id) }

        assertThat(flow.toList() + flow.toList()).containsExactly(1, 1)
        assertThat(events).containsExactly("reset item 1", "reset item 1")
    }

    @Test
    fun `the lease is released when the flow fails, when the collector stops early, and when it is cancelled`(): Unit =
        runBlocking {
            assertThatThrownBy {
                runBlocking { pool.leaseFlow<Item, String> { flow { throw IllegalStateException("boom") } }.toList() }
            }.hasMessage("boom")
            assertThat(pool.metrics().leased()).isZero()

            assertThat(pool.leaseFlow { flowOf(1, 2, 3) }.first()).isEqualTo(1)
            assertThat(pool.metrics().leased()).isZero()

            val collecting = CompletableDeferred<Unit>()
            val job = launch {
                pool.leaseFlow { flow<Int> { collecting.complete(Unit); awaitCancellation() } }.toList()
            }
            withTimeout(10_000) { collecting.await() }
            assertThat(pool.metrics().leased()).isEqualTo(1)
            job.cancelAndJoin()

            assertThat(pool.metrics().leased()).isZero()
            assertThat(events).containsExactly("reset item 1", "reset item 1", "reset item 1")
        }
}
