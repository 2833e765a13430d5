package dev.reactivepool.samples

import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test

class KotlinSampleTest {

    @Test
    fun `the Kotlin sample reads through the pool and returns every connection`(): Unit = runBlocking {
        val outcome = withTimeout(30_000) { runKotlinSample() }

        assertThat(outcome.first).matches("connection \\d+ ran: select 1")
        assertThat(outcome.rows).hasSize(100)
        assertThat(outcome.rows.map { it.substringAfter("ran: ") })
            .containsExactlyElementsOf((1..100).map { "select $it" })
        assertThat(outcome.streamed).singleElement().asString().endsWith("ran: select 2")
        assertThat(outcome.timedOut).isTrue()
        assertThat(outcome.metrics.created()).isBetween(1L, 4L)
        assertThat(outcome.metrics.leased()).isZero()
        assertThat(outcome.metrics.acquired()).isEqualTo(103)
    }
}
