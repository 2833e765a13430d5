package dev.reactivepool.kotlin.internal

import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.withContext
import kotlin.coroutines.cancellation.CancellationException

/**
 * Runs [block], then [cleanup] — after [block] has finished, whether it returned, threw or was
 * cancelled — under [NonCancellable], so that the cleanup runs to its end even in a cancelled
 * coroutine. An error of [cleanup] is added as suppressed to the block's error rather than
 * hiding it; it is thrown if the block returned.
 */
internal suspend inline fun <R> runThenCleanUp(block: () -> R, crossinline cleanup: suspend () -> Unit): R {
    var failure: Throwable? = null
    try {
        return block()
    } catch (e: Throwable) {
        failure = e
        throw e
    } finally {
        val cleanupError: Throwable? = try {
            withContext(NonCancellable) {
                try {
                    cleanup()
                    null
                } catch (e: Throwable) {
                    e
                }
            }
        } catch (cancelled: CancellationException) {
            // The cleanup ran to its end; the caller was cancelled meanwhile. Report that only
            // if nothing else is being thrown.
            if (failure == null) cancelled else null
        }
        if (cleanupError != null) {
            if (failure == null) throw cleanupError
            if (cleanupError !== failure) failure.addSuppressed(cleanupError)
        }
    }
}
