package dev.reactivepool.kotlin

import dev.reactivepool.DroppedLeases
import dev.reactivepool.kotlin.internal.awaitCancelSafe
import dev.reactivepool.kotlin.internal.poolReactorContext
import dev.reactivepool.kotlin.internal.runThenCleanUp
import dev.reactivepool.r2dbc.PooledConnectionFactory
import io.r2dbc.spi.Connection
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.currentCoroutineContext
import dev.reactivepool.kotlin.internal.awaitCompletion
import kotlinx.coroutines.withContext
import reactor.core.publisher.Mono
import kotlin.coroutines.cancellation.CancellationException

// The R2DBC helpers. The module's dependency on r2dbc-adapter is optional: an application that
// calls these has r2dbc-adapter on its classpath anyway.

/**
 * Borrows a connection from the pool, runs [block] with it and returns the connection
 * (`close()`) when the block returns, throws or is cancelled — only after [block] has finished,
 * and awaited under [NonCancellable]. Waiting for the connection is cancel-safe like
 * [awaitLease]: a connection delivered at the moment of cancellation goes back to the pool. The
 * pool and the driver see the coroutine's [kotlinx.coroutines.reactor.ReactorContext].
 *
 * An open transaction left by [block] is rolled back by the pool on return.
 *
 * @param block the work to do with the connection; the connection must not escape it
 * @return what [block] returned
 * @throws io.r2dbc.spi.R2dbcTimeoutException when no connection could be had within the acquire timeout
 */
public suspend fun <R> PooledConnectionFactory.useConnection(block: suspend (Connection) -> R): R {
    val context = currentCoroutineContext().poolReactorContext()
    val connection = create().awaitCancelSafe(context, ::giveBack)
    return runThenCleanUp({ block(connection) }) { connection.close().awaitCompletion(context) }
}

/**
 * Runs [block] in a transaction on a borrowed connection ([useConnection]): begins it, commits
 * when [block] returns, rolls back when [block] throws or the coroutine is cancelled (the
 * rollback is awaited under [NonCancellable]), and returns the connection in every case. A
 * failed commit is rolled back and its error thrown; an error of the rollback is added as
 * suppressed to the error that caused it.
 *
 * ```kotlin
 * val id: Long = factory.inTransaction { conn ->
 *     conn.createStatement("insert into item(name) values ($1) returning id").bind(0, name)
 *         .execute().awaitSingle().map { row, _ -> row.get(0, java.lang.Long::class.java)!! }.awaitSingle()
 * }
 * ```
 *
 * @param block the work of the transaction; the connection must not escape it
 * @return what [block] returned, once the transaction is committed
 */
public suspend fun <R> PooledConnectionFactory.inTransaction(block: suspend (Connection) -> R): R =
    useConnection { connection ->
        val context = currentCoroutineContext().poolReactorContext()
        connection.beginTransaction().awaitCompletion(context)
        try {
            val result = block(connection)
            connection.commitTransaction().awaitCompletion(context)
            result
        } catch (e: Throwable) {
            try {
                withContext(NonCancellable) {
                    try {
                        connection.rollbackTransaction().awaitCompletion(context)
                    } catch (rollbackError: Throwable) {
                        e.addSuppressed(rollbackError)
                    }
                }
            } catch (_: CancellationException) {
                // The rollback ran to its end; the caller was cancelled meanwhile: e still wins.
            }
            throw e
        }
    }

/** A connection nobody will use goes back to the pool (the adapter's connections are Reclaimable). */
private fun giveBack(connection: Connection) {
    if (!DroppedLeases.reclaim(connection)) {
        Mono.from(connection.close()).subscribe(null) { /* the pool logs failed returns */ }
    }
}
