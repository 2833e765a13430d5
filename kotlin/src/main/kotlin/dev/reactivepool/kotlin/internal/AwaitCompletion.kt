package dev.reactivepool.kotlin.internal

import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.suspendCancellableCoroutine
import org.reactivestreams.Publisher
import org.reactivestreams.Subscription
import reactor.core.CoreSubscriber
import reactor.core.publisher.Operators
import reactor.util.context.Context
import java.util.concurrent.atomic.AtomicReference
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException

/**
 * Suspends until [this] publisher (a release, a close, a commit: `Publisher<Void>`) terminates;
 * values, if any, are ignored. Cancelling the coroutine cancels the subscription. The publisher
 * sees [context] as its subscriber's context.
 *
 * Used instead of kotlinx-coroutines-reactive's `await*` functions, whose first call loads
 * context injectors with a `ServiceLoader` (reading jar files): a blocking call that BlockHound
 * reports when it happens on a Reactor thread, as a release on an event loop would.
 */
internal suspend fun Publisher<*>.awaitCompletion(context: Context) {
    suspendCancellableCoroutine { continuation ->
        val subscriber = CompletionSubscriber(continuation, context)
        continuation.invokeOnCancellation { subscriber.cancel() }
        subscribe(subscriber)
    }
}

/** The subscriber of [awaitCompletion]. */
private class CompletionSubscriber(
    private val continuation: CancellableContinuation<Unit>,
    private val context: Context,
) : CoreSubscriber<Any> {

    private val subscription = AtomicReference<Subscription?>()

    override fun currentContext(): Context = context

    override fun onSubscribe(s: Subscription) {
        if (subscription.compareAndSet(null, s)) {
            s.request(Long.MAX_VALUE)
        } else {
            s.cancel()
        }
    }

    override fun onNext(value: Any) {
        // A Publisher<Void> emits nothing; anything else is not waited for.
    }

    override fun onError(error: Throwable) {
        continuation.resumeWithException(error) // ignored if cancelled already
    }

    override fun onComplete() {
        continuation.resume(Unit)
    }

    fun cancel() {
        val previous = subscription.getAndSet(Operators.cancelledSubscription())
        if (previous != null && previous !== Operators.cancelledSubscription()) {
            previous.cancel()
        }
    }
}
