package dev.reactivepool.kotlin

import dev.reactivepool.r2dbc.PooledConnectionFactory
import io.r2dbc.spi.Connection
import io.r2dbc.spi.ConnectionFactories
import io.r2dbc.spi.ConnectionFactory
import io.r2dbc.spi.ConnectionFactoryMetadata
import io.r2dbc.spi.ConnectionFactoryOptions
import io.r2dbc.spi.Option
import dev.reactivepool.testsupport.EmbeddedPostgresServer
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.launch
import kotlinx.coroutines.reactive.awaitFirstOrNull
import kotlinx.coroutines.reactive.awaitSingle
import kotlinx.coroutines.reactor.asCoroutineContext
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.reactivestreams.Publisher
import reactor.core.publisher.Flux
import reactor.core.publisher.Mono
import reactor.util.context.Context
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList

/**
 * `useConnection` and `inTransaction` on an embedded PostgreSQL (127.0.0.1), one pooled
 * connection so that the next borrower gets the same session: commit, rollback on exception,
 * rollback on cancellation, and the session is never left in a transaction. The server's view
 * comes from JDBC on the test thread.
 */
class R2dbcCoroutinesTest {

    private val applicationName = "kt-r2dbc-test"
    private val driverSaw = CopyOnWriteArrayList<String>()
    private lateinit var factory: PooledConnectionFactory

    /** The driver's factory, recording the Reactor context each connection is opened with. */
    private fun recordingDriver(): ConnectionFactory {
        val driver = ConnectionFactories.get(
            ConnectionFactoryOptions.builder()
                .option(ConnectionFactoryOptions.DRIVER, "postgresql")
                .option(ConnectionFactoryOptions.HOST, "127.0.0.1")
                .option(ConnectionFactoryOptions.PORT, server.port)
                .option(ConnectionFactoryOptions.USER, "postgres")
                .option(ConnectionFactoryOptions.DATABASE, "postgres")
                .option(Option.valueOf("applicationName"), applicationName)
                .build())
        return object : ConnectionFactory {
            override fun create(): Publisher<out Connection> = Mono.deferContextual { ctx ->
                driverSaw += ctx.getOrDefault("who", "nobody")!!
                Mono.from(driver.create())
            }

            override fun getMetadata(): ConnectionFactoryMetadata = driver.metadata
        }
    }

    @BeforeEach
    fun setUp() {
        jdbc("drop table if exists kt_item; create table kt_item(name text primary key)")
        factory = PooledConnectionFactory.builder(recordingDriver()).maxSize(1).build()
    }

    @AfterEach
    fun tearDown(): Unit = runBlocking { factory.close().awaitFirstOrNull() }

    private suspend fun Connection.insert(name: String) {
        Flux.from(createStatement("insert into kt_item(name) values ($1)").bind("$1", name).execute())
            .flatMap { it.rowsUpdated }.awaitFirstOrNull()
    }

    private suspend fun Connection.count(): Long =
        Flux.from(createStatement("select count(*) from kt_item").execute())
            .flatMap { result -> result.map { row, _ -> row.get(0, Long::class.javaObjectType)!! } }
            .awaitSingle()

    @Test
    fun `useConnection returns the connection after the block and the driver sees the ReactorContext`(): Unit =
        runBlocking {
            val one = withContext(Context.of("who", "caller").asCoroutineContext()) {
                factory.useConnection { connection ->
                    Flux.from(connection.createStatement("select 1").execute())
                        .flatMap { result -> result.map { row, _ -> row.get(0, Int::class.javaObjectType)!! } }
                        .awaitSingle()
                }
            }

            assertThat(one).isEqualTo(1)
            assertThat(factory.metrics().leased()).isZero()
            assertThat(driverSaw).containsExactly("caller")
        }

    @Test
    fun `inTransaction commits when the block returns`(): Unit = runBlocking {
        val result = factory.inTransaction { connection ->
            connection.insert("committed")
            "done"
        }

        assertThat(result).isEqualTo("done")
        assertThat(jdbcCount()).isEqualTo(1)
        assertNoOpenTransaction()
    }

    @Test
    fun `inTransaction rolls back when the block throws, and rethrows`(): Unit = runBlocking {
        assertThatThrownBy {
            runBlocking {
                factory.inTransaction { connection ->
                    connection.insert("rolled back")
                    throw IllegalStateException("boom")
                }
            }
        }.isInstanceOf(IllegalStateException::class.java).hasMessage("boom")

        assertThat(jdbcCount()).isZero()
        assertNoOpenTransaction()
    }

    @Test
    fun `inTransaction rolls back when the coroutine is cancelled`(): Unit = runBlocking {
        val inserted = CompletableDeferred<Unit>()
        val job = launch {
            factory.inTransaction { connection ->
                connection.insert("cancelled")
                inserted.complete(Unit)
                awaitCancellation()
            }
        }
        withTimeout(10_000) { inserted.await() }
        assertThat(backendStates()).containsExactly("idle in transaction")

        job.cancelAndJoin()

        assertThat(factory.metrics().leased()).isZero()
        assertThat(jdbcCount()).isZero()
        assertNoOpenTransaction()
    }

    /** The session is idle (not in a transaction) on the server and for the next borrower. */
    private suspend fun assertNoOpenTransaction() {
        await().atMost(Duration.ofSeconds(10)).until { backendStates() == listOf("idle") }
        // The next borrower gets the same session: its own transaction starts clean and what
        // it sees is what was committed.
        val seen = factory.inTransaction { connection ->
            connection.insert("next")
            connection.count()
        }
        assertThat(seen).isEqualTo(jdbcCount())
        assertThat(factory.metrics().created()).isEqualTo(1)
        jdbc("delete from kt_item where name = 'next'")
    }

    private fun backendStates(): List<String> = server.postgresDatabase.connection.use { c ->
        c.prepareStatement("select coalesce(state, 'null') from pg_stat_activity where application_name = ?").use { s ->
            s.setString(1, applicationName)
            s.executeQuery().use { rs -> generateSequence { if (rs.next()) rs.getString(1) else null }.toList() }
        }
    }

    private fun jdbcCount(): Long = server.postgresDatabase.connection.use { c ->
        c.createStatement().use { s -> s.executeQuery("select count(*) from kt_item").use { rs -> rs.next(); rs.getLong(1) } }
    }

    private fun jdbc(sql: String) {
        server.postgresDatabase.connection.use { c -> c.createStatement().use { it.execute(sql) } }
    }

    companion object {
        private lateinit var server: EmbeddedPostgres

        @JvmStatic
        @BeforeAll
        fun startServer() {
            server = EmbeddedPostgresServer.start(0)
        }

        @JvmStatic
        @AfterAll
        fun stopServer() {
            server.close()
        }
    }
}
