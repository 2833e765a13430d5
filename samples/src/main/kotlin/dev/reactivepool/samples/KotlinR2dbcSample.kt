package dev.reactivepool.samples

import dev.reactivepool.kotlin.inTransaction
import dev.reactivepool.kotlin.useConnection
import dev.reactivepool.r2dbc.PooledConnectionFactory
import io.r2dbc.spi.Connection
import io.r2dbc.spi.ConnectionFactories
import kotlinx.coroutines.reactive.awaitFirstOrNull
import kotlinx.coroutines.reactive.awaitSingle
import reactor.core.publisher.Flux

/**
 * What [runKotlinR2dbcSample] found.
 *
 * @property items the rows of the table at the end: the committed transaction's only
 * @property failure the message of the transaction that failed and was rolled back
 */
data class KotlinR2dbcOutcome(val items: List<String>, val failure: String?)

/**
 * The R2DBC helpers of reactive-pool-kotlin on a PostgreSQL at 127.0.0.1 that trusts the user
 * `postgres` (the embedded one of [DemoDatabase]): `useConnection` and `inTransaction`.
 */
suspend fun runKotlinR2dbcSample(port: Int): KotlinR2dbcOutcome {
    val postgres = ConnectionFactories.get("r2dbc:postgresql://postgres@127.0.0.1:$port/postgres")
    val factory = PooledConnectionFactory.builder(postgres).maxSize(4).build()
    try {
        factory.useConnection { conn -> conn.update("CREATE TABLE IF NOT EXISTS fruit (name text PRIMARY KEY)") }

        // Committed when the block returns.
        factory.inTransaction { conn ->
            conn.update("INSERT INTO fruit VALUES ('apple')")
            conn.update("INSERT INTO fruit VALUES ('pear')")
        }

        // Rolled back when the block throws (or the coroutine is cancelled); the error is rethrown.
        val failure = runCatching {
            factory.inTransaction { conn ->
                conn.update("INSERT INTO fruit VALUES ('plum')")
                error("out of plums")
            }
        }.exceptionOrNull()?.message

        val items: List<String> = factory.useConnection { conn ->
            Flux.from(conn.createStatement("SELECT name FROM fruit ORDER BY name").execute())
                .flatMap { result -> result.map { row, _ -> row.get("name", String::class.java)!! } }
                .collectList()
                .awaitSingle()
        }
        return KotlinR2dbcOutcome(items, failure)
    } finally {
        factory.close().awaitFirstOrNull()
    }
}

/** Runs one statement and returns how many rows it changed. */
private suspend fun Connection.update(sql: String): Long =
    Flux.from(createStatement(sql).execute()).flatMap { it.rowsUpdated }.reduce(0L, Long::plus).awaitSingle()
