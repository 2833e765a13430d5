package dev.reactivepool.samples

import dev.reactivepool.Pool
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.reactive.awaitFirstOrNull
import kotlinx.coroutines.reactive.awaitSingle
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import java.time.Duration
import java.util.concurrent.atomic.AtomicBoolean

class PoolCoroutinesTest {

    private val pool: Pool<ToyConnection> = Pool.builder(ToyConnection.connect())
        .maxSize(1)
        .destroyer(ToyConnection::close)
        .build()

    @AfterEach
    fun close(): Unit = runBlocking {
        pool.close().awaitFirstOrNull()
    }

    @Test
    fun `useLease returns what the block returned and gives the object back`(): Unit = runBlocking {
        val row = withTimeout(10_000) {
            pool.useLease { conn -> conn.query("select 1").awaitSingle() }
        }

        assertThat(row).isEqualTo("connection ${idOfTheOnlyConnection()} ran: select 1")
        assertThat(pool.metrics().leased()).isZero()
        assertThat(pool.metrics().idle()).isEqualTo(1)
    }

    @Test
    fun `useLease gives the object back when the block throws`() {
        runBlocking {
            assertThatThrownBy {
                runBlocking { pool.useLease<ToyConnection, String> { throw IllegalStateException("boom") } }
            }.isInstanceOf(IllegalStateException::class.java).hasMessage("boom")

            assertThat(pool.metrics().leased()).isZero()
            assertThat(pool.metrics().idle()).isEqualTo(1)
        }
    }

    @Test
    fun `cancelling the caller gives the object back only after the block has finished`(): Unit = runBlocking {
        val leased = CompletableDeferred<Unit>()
        val blockFinished = AtomicBoolean()
        val releasedBeforeBlockFinished = AtomicBoolean()
        val job = launch {
            pool.useLease {
                try {
                    leased.complete(Unit)
                    delay(60_000)
                } finally {
                    // Still ours while the block runs, even though the caller was cancelled.
                    if (pool.metrics().leased() != 1) releasedBeforeBlockFinished.set(true)
                    blockFinished.set(true)
                }
            }
        }
        withTimeout(10_000) { leased.await() }
        assertThat(pool.metrics().leased()).isEqualTo(1)

        job.cancelAndJoin()

        assertThat(blockFinished).isTrue()
        assertThat(releasedBeforeBlockFinished).isFalse()
        assertThat(pool.metrics().leased()).isZero()
        assertThat(pool.metrics().idle()).isEqualTo(1)
    }

    @Test
    fun `cancelling a caller that waits for a lease leaves no waiter and loses no object`(): Unit = runBlocking {
        val holderLeased = CompletableDeferred<Unit>()
        val release = CompletableDeferred<Unit>()
        val holder = launch {
            pool.useLease {
                holderLeased.complete(Unit)
                release.await()
            }
        }
        withTimeout(10_000) { holderLeased.await() }
        val waiter = async(start = CoroutineStart.UNDISPATCHED) { pool.useLease { "never" } }
        await().atMost(Duration.ofSeconds(10)).until { pool.metrics().pending() == 1 }

        waiter.cancelAndJoin()

        await().atMost(Duration.ofSeconds(10)).until { pool.metrics().pending() == 0 }
        release.complete(Unit)
        holder.join()
        val again = withTimeout(10_000) { pool.useLease { conn -> conn.query("select 2").awaitSingle() } }
        assertThat(again).endsWith("ran: select 2")
        assertThat(pool.metrics().created()).isEqualTo(1)
        assertThat(pool.metrics().leased()).isZero()
        assertThat(waiter.isCancelled).isTrue()
    }

    @Test
    fun `many coroutines share one object one at a time`(): Unit = runBlocking {
        val inUse = java.util.concurrent.atomic.AtomicInteger()
        val overlaps = java.util.concurrent.atomic.AtomicInteger()
        val jobs = (1..200).map {
            launch {
                pool.useLease {
                    if (inUse.incrementAndGet() > 1) overlaps.incrementAndGet()
                    delay(1)
                    inUse.decrementAndGet()
                }
            }
        }
        withTimeout(30_000) { jobs.forEach { it.join() } }

        assertThat(overlaps.get()).isZero()
        assertThat(pool.metrics().acquired()).isEqualTo(200)
        assertThat(pool.metrics().created()).isEqualTo(1)
    }

    private suspend fun idOfTheOnlyConnection(): Int = pool.useLease { it.id() }
}
