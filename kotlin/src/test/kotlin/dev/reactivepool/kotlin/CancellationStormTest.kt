package dev.reactivepool.kotlin

import dev.reactivepool.Pool
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.reactor.asCoroutineDispatcher
import kotlinx.coroutines.reactor.awaitSingleOrNull
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.withTimeoutOrNull
import kotlinx.coroutines.yield
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import reactor.core.scheduler.Schedulers
import java.util.concurrent.ThreadLocalRandom
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong

/**
 * 100,000 `useLease` calls on a pool of 2, on real threads (half on `Dispatchers.Default`, half
 * on Reactor's parallel scheduler), cancelled at random moments: by `withTimeout` of 0 to 2 ms,
 * by cancelling the parent job, and by a failing sibling in `coroutineScope`. Afterwards every
 * permit can be acquired, created − destroyed == idle + leased, every lease handed out was
 * released exactly once (one reset per lease) and never while a block still held its object.
 */
class CancellationStormTest {

    private class Sibling : RuntimeException("a sibling failed", null, false, false)

    private val calls = 100_000
    private val workers = 8
    private val ids = AtomicInteger()
    private val resets = AtomicLong()
    private val resetWhileHeld = AtomicInteger()
    private val shared = AtomicInteger()
    private val blocksRun = AtomicLong()

    private val pool: Pool<Item> = reactivePool {
        allocator { Item(ids.incrementAndGet()) }
        resetter { item ->
            resets.incrementAndGet()
            if (item.holders.get() != 0) resetWhileHeld.incrementAndGet()
        }
        maxSize = 2
        acquireTimeout = kotlin.time.Duration.parse("30s")
    }

    /** The work of one lease: nothing, a yield, or (rarely) a 1 ms delay. */
    private suspend fun work(item: Item) {
        if (item.holders.incrementAndGet() != 1) shared.incrementAndGet()
        try {
            blocksRun.incrementAndGet()
            when (ThreadLocalRandom.current().nextInt(100)) {
                in 0..49 -> Unit
                in 50..98 -> yield()
                else -> delay(1)
            }
        } finally {
            item.holders.decrementAndGet()
        }
    }

    private suspend fun oneCall() {
        val random = ThreadLocalRandom.current()
        when (random.nextInt(4)) {
            0 -> withTimeoutOrNull(random.nextLong(0, 3)) { pool.useLease { work(it) } }
            1 -> coroutineScope {
                val job = launch { pool.useLease { work(it) } }
                if (random.nextBoolean()) yield()
                job.cancel()
            }
            2 -> try {
                coroutineScope {
                    launch { pool.useLease { work(it) } }
                    launch {
                        if (random.nextBoolean()) yield()
                        throw Sibling()
                    }
                }
            } catch (_: Sibling) {
            }
            else -> pool.useLease { work(it) }
        }
    }

    @Test
    fun `random cancellations lose no lease, release none twice and never release a held object`() {
        val reactorDispatcher: CoroutineDispatcher = Schedulers.parallel().asCoroutineDispatcher()
        val started = System.nanoTime()
        runBlocking {
            withTimeout(120_000) {
                (0 until workers).map { w ->
                    async(if (w % 2 == 0) Dispatchers.Default else reactorDispatcher) {
                        repeat(calls / workers) { oneCall() }
                    }
                }.awaitAll()
            }
        }
        val seconds = (System.nanoTime() - started) / 1e9
        println("CancellationStormTest: $calls useLease calls in %.1f s, %d blocks ran, %d leases, %d reclaimed"
            .format(seconds, blocksRun.get(), pool.metrics().acquired(), pool.metrics().reclaimed()))

        val after = pool.metrics()
        assertThat(after.leased()).isZero()
        assertThat(after.pending()).isZero()
        assertThat(after.created() - after.destroyed()).isEqualTo((after.idle() + after.leased()).toLong())
        // One reset per lease handed out: none lost (no reset), none released twice (two).
        assertThat(resets.get()).isEqualTo(after.acquired())
        assertThat(resetWhileHeld.get()).isZero()
        assertThat(shared.get()).isZero()
        assertThat(blocksRun.get()).isPositive()
        // Every permit can be acquired, at once.
        runBlocking {
            withTimeout(10_000) {
                val first = pool.awaitLease(kotlin.time.Duration.parse("5s"))
                val second = pool.awaitLease(kotlin.time.Duration.parse("5s"))
                assertThat(first.get()).isNotSameAs(second.get())
                first.release().awaitSingleOrNull()
                second.release().awaitSingleOrNull()
            }
            pool.awaitClose()
        }
    }
}
