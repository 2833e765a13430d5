package dev.reactivepool.kotlin.internal

import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.suspendCancellableCoroutine
import org.reactivestreams.Publisher
import org.reactivestreams.Subscription
import reactor.core.CoreSubscriber
import reactor.core.publisher.Operators
import reactor.util.context.Context
import java.util.concurrent.atomic.AtomicReference
import kotlin.coroutines.resumeWithException

/**
 * Suspends until [this] publisher emits its single value, without ever losing that value.
 *
 * A value that nobody will use is handed to [onUnwanted] (which gives it back to its pool): one
 * delivered after the coroutine was cancelled — even after `cancel()`, which Reactive Streams
 * allows (rule 2.8) — one delivered just before a cancellation that wins the dispatch (the
 * `onCancellation` of [CancellableContinuation.resume]), and any value after the first. Cancelling
 * the coroutine cancels the subscription. The publisher sees [context] as its subscriber's context.
 *
 * `awaitSingle()` and `subscribe(lambda)` + `dispose()` both drop a value in these windows.
 */
internal suspend fun <V : Any> Publisher<V>.awaitCancelSafe(context: Context, onUnwanted: (V) -> Unit): V =
    suspendCancellableCoroutine { continuation ->
        val subscriber = CancelSafeSubscriber(continuation, context, onUnwanted)
        // Registered before subscribing: a cancellation during subscribe() still cancels.
        continuation.invokeOnCancellation { subscriber.cancel() }
        subscribe(subscriber)
    }

/** The subscriber of [awaitCancelSafe]; signals are serial (Reactive Streams rule 1.3). */
private class CancelSafeSubscriber<V : Any>(
    private val continuation: CancellableContinuation<V>,
    private val context: Context,
    private val onUnwanted: (V) -> Unit,
) : CoreSubscriber<V> {

    /** null before onSubscribe, the upstream after, [CANCELLED] once cancelled. */
    private val subscription = AtomicReference<Subscription?>()

    /** Whether the continuation was resumed by a signal; only touched by the serial signals. */
    private var resumed = false

    override fun currentContext(): Context = context

    override fun onSubscribe(s: Subscription) {
        if (subscription.compareAndSet(null, s)) {
            s.request(Long.MAX_VALUE)
        } else {
            s.cancel() // cancelled before the subscription came, or a second onSubscribe
        }
    }

    override fun onNext(value: V) {
        if (resumed) {
            onUnwanted(value) // a second value from a misbehaving publisher: still not lost
            return
        }
        resumed = true
        // If the continuation is cancelled already, or is cancelled before the coroutine runs
        // again, the value goes to onUnwanted instead of vanishing.
        continuation.resume(value) { _, unwanted, _ -> onUnwanted(unwanted) }
    }

    override fun onError(error: Throwable) {
        if (!resumed) {
            resumed = true
            continuation.resumeWithException(error) // ignored if already cancelled
        }
    }

    override fun onComplete() {
        if (!resumed) {
            resumed = true
            continuation.resumeWithException(NoSuchElementException("the publisher completed without a value"))
        }
    }

    /** Cancels the upstream, now or as soon as it arrives. */
    fun cancel() {
        val previous = subscription.getAndSet(CANCELLED)
        if (previous != null && previous !== CANCELLED) {
            previous.cancel()
        }
    }

    private companion object {
        val CANCELLED: Subscription = Operators.cancelledSubscription()
    }
}
