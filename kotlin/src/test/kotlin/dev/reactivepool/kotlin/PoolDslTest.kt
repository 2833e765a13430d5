package dev.reactivepool.kotlin

import dev.reactivepool.IdleOrder
import dev.reactivepool.InvalidPoolConfigurationException
import dev.reactivepool.Pool
import dev.reactivepool.PoolBuilder
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.Arguments
import org.junit.jupiter.params.provider.MethodSource
import reactor.core.publisher.Mono
import java.time.Duration as JavaDuration
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration
import kotlin.time.Duration.Companion.days
import kotlin.time.Duration.Companion.microseconds
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

class PoolDslTest {

    @Test
    fun `options and suspend callbacks reach the pool`(): Unit = runBlocking {
        val ids = AtomicInteger()
        val events = CopyOnWriteArrayList<String>()
        val pool: Pool<Item> = reactivePool {
            name = "dsl-pool"
            allocator {
                delay(1) // really suspends: the bridge is a coroutine, not a blocking call
                Item(ids.incrementAndGet())
            }
            validator { item -> events += "validate $item"; true }
            resetter { item -> events += "reset $item" }
            destroyer { item -> events += "destroy $item" }
            evictionPredicate { false }
            maxSize = 3
            maxIdle = 2
            minIdle = 1
            maxPending = 100
            acquireTimeout = 5.seconds
            maxLifetime = 1.days
            maxLifetimeJitter = 1.seconds
            idleOrder = IdleOrder.LIFO
            creationBackoff(10.milliseconds, 1.seconds)
            holdTimeSampling = 1
        }
        try {
            assertThat(pool.awaitWarmup()).isEqualTo(1)
            pool.useLease { }
        } finally {
            pool.awaitClose()
        }

        val metrics = pool.metrics()
        assertThat(metrics.name()).isEqualTo("dsl-pool")
        assertThat(metrics.maxSize()).isEqualTo(3)
        assertThat(metrics.maxIdle()).isEqualTo(2)
        assertThat(events).containsExactly("validate item 1", "reset item 1", "destroy item 1")
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    fun `a bad option fails with the Java builder's message`(
        option: String,
        dsl: ReactivePoolSpec<Item>.() -> Unit,
        java: PoolBuilder<Item>.() -> Unit,
    ) {
        val javaError = runCatching { Pool.builder(Mono.just(Item(0))).apply(java).build() }.exceptionOrNull()
        assertThat(javaError).isInstanceOf(InvalidPoolConfigurationException::class.java)

        assertThatThrownBy {
            reactivePool<Item> {
                allocator { Item(0) }
                dsl()
            }
        }.isInstanceOf(InvalidPoolConfigurationException::class.java)
            .hasMessage(javaError!!.message)
            .hasMessageContaining(option)
    }

    @Test
    fun `a missing allocator fails as in the Java builder`() {
        val javaError = runCatching { Pool.builder<Item>(null) }.exceptionOrNull()

        assertThatThrownBy { reactivePool<Item> { maxSize = 1 } }
            .isInstanceOf(javaError!!.javaClass)
            .hasMessage(javaError.message)
            .hasMessage("allocator")
    }

    @Test
    fun `a callback context with a Job is refused at build time`() {
        assertThatThrownBy {
            reactivePool<Item> {
                allocator { Item(0) }
                callbackContext = Dispatchers.Default + Job()
            }
        }.isInstanceOf(InvalidPoolConfigurationException::class.java)
            .hasMessageStartingWith("Invalid pool option 'callbackContext': must not contain a Job")
    }

    companion object {
        private fun bad(
            option: String,
            dsl: ReactivePoolSpec<Item>.() -> Unit,
            java: PoolBuilder<Item>.() -> Unit,
        ): Arguments = Arguments.of(option, dsl, java)

        private fun Duration.j(): JavaDuration = JavaDuration.ofNanos(inWholeNanoseconds)

        @JvmStatic
        fun badOptions(): List<Arguments> = listOf(
            bad("name", { name = " " }, { name(" ") }),
            bad("maxSize", { maxSize = 0 }, { maxSize(0) }),
            bad("maxSize", { maxSize = 100_001 }, { maxSize(100_001) }),
            bad("maxIdle", { maxIdle = 11 }, { maxIdle(11) }),
            bad("minIdle", { minIdle = -1 }, { minIdle(-1) }),
            bad("minIdle", { maxIdle = 2; minIdle = 3 }, { maxIdle(2); minIdle(3) }),
            bad("maxPending", { maxPending = -1 }, { maxPending(-1) }),
            bad("acquireTimeout", { acquireTimeout = Duration.ZERO }, { acquireTimeout(JavaDuration.ZERO) }),
            bad("acquireTimeout", { acquireTimeout = 366.days }, { acquireTimeout(366.days.j()) }),
            bad("createTimeout", { createTimeout = (-1).seconds }, { createTimeout((-1).seconds.j()) }),
            bad("destroyTimeout", { destroyTimeout = Duration.ZERO }, { destroyTimeout(JavaDuration.ZERO) }),
            bad("validationTimeout", { validationTimeout = Duration.ZERO }, { validationTimeout(JavaDuration.ZERO) }),
            bad("skipValidationWithin", { skipValidationWithin = (-1).milliseconds },
                { skipValidationWithin((-1).milliseconds.j()) }),
            bad("resetTimeout", { resetTimeout = Duration.ZERO }, { resetTimeout(JavaDuration.ZERO) }),
            bad("idleTimeout", { idleTimeout = (-1).milliseconds }, { idleTimeout((-1).milliseconds.j()) }),
            bad("maxLifetime", { maxLifetime = (-1).seconds }, { maxLifetime((-1).seconds.j()) }),
            bad("maxLifetimeJitter", { maxLifetime = 1.seconds; maxLifetimeJitter = 2.seconds },
                { maxLifetime(1.seconds.j(), 2.seconds.j()) }),
            bad("maxUses", { maxUses = 0 }, { maxUses(0) }),
            bad("evictionInterval", { evictionInterval = 500.microseconds }, { evictionInterval(500.microseconds.j()) }),
            bad("leakDetectionThreshold", { leakDetectionThreshold = (-1).seconds },
                { leakDetectionThreshold((-1).seconds.j()) }),
            bad("creationBackoff.initial", { creationBackoff(Duration.ZERO, 1.seconds) },
                { creationBackoff(JavaDuration.ZERO, 1.seconds.j()) }),
            bad("creationBackoff.max", { creationBackoff(2.seconds, 1.seconds) },
                { creationBackoff(2.seconds.j(), 1.seconds.j()) }),
            bad("closeGracePeriod", { closeGracePeriod = (-1).seconds }, { closeGracePeriod((-1).seconds.j()) }),
            bad("holdTimeSampling", { holdTimeSampling = -1 }, { holdTimeSampling(-1) }),
        )
    }
}
