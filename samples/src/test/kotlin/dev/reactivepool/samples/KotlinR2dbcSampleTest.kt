package dev.reactivepool.samples

import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test

class KotlinR2dbcSampleTest {

    @Test
    fun `the committed transaction stays and the failed one is rolled back`() {
        DemoDatabase.embedded(100).use { database ->
            val outcome = runBlocking { withTimeout(60_000) { runKotlinR2dbcSample(database.port()) } }

            assertThat(outcome.items).containsExactly("apple", "pear")
            assertThat(outcome.failure).isEqualTo("out of plums")
        }
    }
}
