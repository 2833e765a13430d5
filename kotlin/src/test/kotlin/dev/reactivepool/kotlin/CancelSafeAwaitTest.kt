package dev.reactivepool.kotlin

import dev.reactivepool.Lease
import dev.reactivepool.Pool
import dev.reactivepool.kotlin.internal.awaitCancelSafe
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.launch
import kotlinx.coroutines.reactive.awaitSingle
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.suspendCancellableCoroutine
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.reactivestreams.Publisher
import org.reactivestreams.Subscriber
import org.reactivestreams.Subscription
import reactor.core.publisher.Mono
import reactor.util.context.Context
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicReference
import kotlin.coroutines.resumeWithException

/**
 * The window of issue 13: a value delivered at the instant its awaiting coroutine is cancelled.
 * Reactive Streams lets `onNext` arrive even after `cancel()` (rule 2.8); the bridge must hand
 * such a value back, never drop it. [LateDelivery] makes that window deterministic.
 */
class CancelSafeAwaitTest {

    /** A publisher that records its subscriber and delivers only when told, even after a cancel. */
    private class LateDelivery<V : Any> : Publisher<V> {
        val subscriber = AtomicReference<Subscriber<in V>>()
        val cancelled = CountDownLatch(1)

        override fun subscribe(s: Subscriber<in V>) {
            subscriber.set(s)
            s.onSubscribe(object : Subscription {
                override fun request(n: Long) {}
                override fun cancel() = cancelled.countDown()
            })
        }

        fun deliver(value: V) {
            subscriber.get().onNext(value)
            subscriber.get().onComplete()
        }
    }

    /** The samples' former `awaitLease`: `subscribe(lambda)`, `dispose()` on cancellation. */
    private suspend fun <V : Any> Publisher<V>.awaitTheOldWay(onUnwanted: (V) -> Unit): V =
        suspendCancellableCoroutine { continuation ->
            val subscription = Mono.from(this).subscribe(
                { value -> continuation.resume(value) { _, unwanted, _ -> onUnwanted(unwanted) } },
                { error -> continuation.resumeWithException(error) })
            continuation.invokeOnCancellation { subscription.dispose() }
        }

    /** Awaits with [await], cancels, then delivers: returns whether the value was handed back. */
    private fun deliveredAfterCancelComesBack(
        await: suspend (Publisher<String>, (String) -> Unit) -> String,
    ): Boolean = runBlocking {
        val publisher = LateDelivery<String>()
        val handedBack = AtomicReference<String>()
        val waiter = launch(start = CoroutineStart.UNDISPATCHED) { await(publisher) { handedBack.set(it) } }
        waiter.cancel()
        assertThat(publisher.cancelled.await(10, TimeUnit.SECONDS)).isTrue()

        publisher.deliver("the lease") // arrives after cancel(): allowed, and must not be lost

        waiter.join()
        handedBack.get() == "the lease"
    }

    @Test
    fun `a value delivered after the cancellation is handed back`() {
        assertThat(deliveredAfterCancelComesBack { p, back -> p.awaitCancelSafe(Context.empty(), back) }).isTrue()
    }

    @Test
    fun `the same scenario catches the old subscribe-and-dispose pattern, which drops the value`() {
        // Without the global onNextDropped hook (disabled in this module's tests), Reactor's
        // lambda subscriber drops a value that arrives after dispose(): the lease is lost.
        assertThat(deliveredAfterCancelComesBack { p, back -> p.awaitTheOldWay(back) }).isFalse()
    }

    @Test
    fun `a value that arrives before the coroutine resumes, when it was cancelled meanwhile, is handed back`() {
        // Resumed while the coroutine's thread is busy, then cancelled before it runs again: the
        // prompt cancellation guarantee discards the value, and the bridge hands it back.
        runBlocking {
            val publisher = LateDelivery<String>()
            val handedBack = AtomicReference<String>()
            val waiter = async(start = CoroutineStart.UNDISPATCHED) {
                publisher.awaitCancelSafe(Context.empty()) { handedBack.set(it) }
            }
            publisher.deliver("the lease") // dispatched to this (busy) runBlocking thread
            waiter.cancel()
            waiter.join()

            assertThat(waiter.isCancelled).isTrue()
            assertThat(handedBack.get()).isEqualTo("the lease")
        }
    }

    @Test
    fun `kotlinx awaitSingle drops a value resumed just before a cancellation, which is why awaitLease exists`() {
        // Evidence for docs/kotlin.md: `pool.acquire().awaitSingle()` is not cancel-safe.
        runBlocking {
            val publisher = LateDelivery<String>()
            val got = AtomicReference<String>()
            val waiter = async(start = CoroutineStart.UNDISPATCHED) { publisher.awaitSingle().also { got.set(it) } }
            publisher.deliver("the lease")
            waiter.cancel()
            waiter.join()

            assertThat(waiter.isCancelled).isTrue()
            assertThat(got.get()).isNull() // nobody has it, nobody will release it
        }
    }

    @Test
    fun `leases delivered by a real pool at the instant of cancellation on another thread all come back`() {
        val pool = Pool.builder(Mono.fromSupplier { Item(0) }).maxSize(1).build()
        val delivered = AtomicInteger()
        try {
            runBlocking(Dispatchers.Default) {
                repeat(20_000) { i ->
                    val holder = pool.awaitLease()
                    val waiter = launch(start = CoroutineStart.UNDISPATCHED) {
                        val lease: Lease<Item> = pool.awaitLease()
                        delivered.incrementAndGet()
                        lease.release().subscribe()
                    }
                    // The release hands the object to the waiter on one thread while another
                    // cancels the waiter: their order varies from one iteration to the next.
                    val canceller = launch {
                        if (i % 2 == 0) yield()
                        waiter.cancel()
                    }
                    holder.release().subscribe()
                    waiter.join()
                    canceller.join()
                }
                withTimeout(10_000) { pool.useLease { } }
            }
            assertThat(pool.metrics().leased()).isZero()
            assertThat(pool.metrics().pending()).isZero()
            assertThat(pool.metrics().created()).isEqualTo(1)
        } finally {
            pool.dispose()
        }
    }
}
