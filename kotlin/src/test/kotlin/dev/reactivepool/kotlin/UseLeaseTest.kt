package dev.reactivepool.kotlin

import dev.reactivepool.AcquireTimeoutException
import dev.reactivepool.Pool
import dev.reactivepool.kotlin.internal.runThenCleanUp
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.reactor.awaitSingleOrNull
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import reactor.core.publisher.Mono
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration.Companion.milliseconds

class UseLeaseTest {

    private val ids = AtomicInteger()
    private val events = CopyOnWriteArrayList<String>()
    private val pool: Pool<Item> = Pool.builder(Mono.fromSupplier { Item(ids.incrementAndGet()) })
        .maxSize(1)
        .resetter { item -> Mono.fromRunnable { events += "reset $item" } }
        .build()

    @AfterEach
    fun close(): Unit = runBlocking { pool.awaitClose() }

    @Test
    fun `useLease returns what the block returned and gives the object back`(): Unit = runBlocking {
        val value = pool.useLease { item -> "got $item" }

        assertThat(value).isEqualTo("got item 1")
        assertThat(events).containsExactly("reset item 1")
        assertThat(pool.metrics().leased()).isZero()
        assertThat(pool.metrics().idle()).isEqualTo(1)
    }

    @Test
    fun `useLease gives the object back when the block throws, and rethrows`(): Unit = runBlocking {
        assertThatThrownBy { runBlocking { pool.useLease<Item, Unit> { throw IllegalStateException("boom") } } }
            .isInstanceOf(IllegalStateException::class.java).hasMessage("boom")

        assertThat(events).containsExactly("reset item 1")
        assertThat(pool.metrics().leased()).isZero()
    }

    @Test
    fun `an error of the release is added to the block's error, and thrown if the block returned`(): Unit =
        runBlocking {
            // The pool's release does not fail; the cleanup step that useLease and useConnection
            // share is checked directly.
            val blockError = IllegalStateException("block")
            val thrown = runCatching<Unit> {
                runThenCleanUp({ throw blockError }) { throw IllegalArgumentException("release") }
            }.exceptionOrNull()
            assertThat(thrown).isSameAs(blockError)
            assertThat(thrown!!.suppressed.map { it.message }).containsExactly("release")

            val releaseOnly = runCatching {
                runThenCleanUp({ "value" }) { throw IllegalArgumentException("release") }
            }.exceptionOrNull()
            assertThat(releaseOnly).isInstanceOf(IllegalArgumentException::class.java).hasMessage("release")
        }

    @Test
    fun `a cancelled block that ignores cancellation for 50 ms keeps its object until it returns`(): Unit =
        runBlocking {
            val leased = CompletableDeferred<Unit>()
            val job = launch(Dispatchers.Default) {
                pool.useLease { item ->
                    item.holders.incrementAndGet()
                    leased.complete(Unit)
                    try {
                        delay(60_000)
                    } finally {
                        withContext(NonCancellable) {
                            events += "block still running"
                            delay(50)
                            events += "block done"
                        }
                        item.holders.decrementAndGet()
                    }
                }
            }
            withTimeout(10_000) { leased.await() }
            // A second borrower that waits meanwhile must not get the object before the block ends.
            val second = async(Dispatchers.Default, start = CoroutineStart.UNDISPATCHED) {
                pool.useLease { item ->
                    events += "second got it while held by ${item.holders.get()}"
                }
            }

            job.cancelAndJoin()
            withTimeout(10_000) { second.await() }

            assertThat(events).containsExactly(
                "block still running", "block done", "reset item 1", "second got it while held by 0", "reset item 1")
            assertThat(pool.metrics().leased()).isZero()
            assertThat(pool.metrics().created()).isEqualTo(1)
        }

    @Test
    fun `cancelling a coroutine that waits for a lease leaves no waiter and loses no object`(): Unit = runBlocking {
        val holderLeased = CompletableDeferred<Unit>()
        val letGo = CompletableDeferred<Unit>()
        val holder = launch {
            pool.useLease {
                holderLeased.complete(Unit)
                letGo.await()
            }
        }
        withTimeout(10_000) { holderLeased.await() }
        val waiter = async(start = CoroutineStart.UNDISPATCHED) { pool.useLease { "never" } }
        assertThat(pool.metrics().pending()).isEqualTo(1)

        waiter.cancelAndJoin()

        await().atMost(Duration.ofSeconds(10)).until { pool.metrics().pending() == 0 }
        letGo.complete(Unit)
        holder.join()
        assertThat(withTimeout(10_000) { pool.useLease { it.id } }).isEqualTo(1)
        assertThat(pool.metrics().leased()).isZero()
        assertThat(waiter.isCancelled).isTrue()
    }

    @Test
    fun `awaitLease with a timeout fails with the pool's timeout error and leaves the pool whole`(): Unit =
        runBlocking {
            val held = pool.awaitLease()

            assertThatThrownBy { runBlocking { pool.awaitLease(30.milliseconds) } }
                .isInstanceOf(AcquireTimeoutException::class.java)

            assertThat(pool.metrics().pending()).isZero()
            held.release().awaitSingleOrNull()
            assertThat(pool.useLease { it.id }).isEqualTo(1)
        }

    @Test
    fun `many coroutines on real threads share one object one at a time`(): Unit = runBlocking {
        val overlaps = AtomicInteger()
        val jobs = (1..500).map {
            launch(Dispatchers.Default) {
                pool.useLease { item ->
                    if (item.holders.incrementAndGet() > 1) overlaps.incrementAndGet()
                    kotlinx.coroutines.yield()
                    item.holders.decrementAndGet()
                }
            }
        }
        withTimeout(30_000) { jobs.forEach { it.join() } }

        assertThat(overlaps.get()).isZero()
        assertThat(pool.metrics().acquired()).isEqualTo(500)
        assertThat(pool.metrics().created()).isEqualTo(1)
    }
}
