package dev.reactivepool.kotlin

import dev.reactivepool.Pool
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runTest
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test
import reactor.core.publisher.Mono
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds

@OptIn(ExperimentalCoroutinesApi::class) // the test scheduler's virtual clock
class MetricsFlowTest {

    private val pool: Pool<Item> = Pool.builder(Mono.fromSupplier { Item(1) }).maxSize(2).minIdle(1).build()

    @Test
    fun `emits a snapshot at once and then one per period, in virtual time`() = runTest {
        val started = testScheduler.currentTime
        val times = mutableListOf<Long>()

        val leased = pool.metricsFlow(10.seconds).take(3).map { times += testScheduler.currentTime - started; it.leased() }
            .toList()

        assertThat(leased).containsExactly(0, 0, 0)
        assertThat(times).containsExactly(0L, 10_000L, 20_000L)
        pool.awaitClose()
    }

    @Test
    fun `shows the pool's state and completes once the pool is closing`() = runTest {
        pool.awaitWarmup()
        val lease = pool.awaitLease()
        val snapshots = mutableListOf<Pair<Int, Int>>()
        val collector = launch {
            pool.metricsFlow(1.seconds).collect { snapshots += it.idle() to it.leased() }
        }
        testScheduler.advanceTimeBy(1_500)
        lease.release().subscribe()
        pool.awaitClose()
        collector.join() // completes by itself: the flow ends after the pool started closing

        assertThat(snapshots.first()).isEqualTo(0 to 1)
        assertThat(snapshots).hasSizeGreaterThanOrEqualTo(3)
    }

    @Test
    fun `a period that is not positive is refused`() {
        assertThatThrownBy { pool.metricsFlow(Duration.ZERO) }
            .isInstanceOf(IllegalArgumentException::class.java)
            .hasMessage("metricsFlow period must be positive, was 0s")
        pool.dispose()
    }
}
