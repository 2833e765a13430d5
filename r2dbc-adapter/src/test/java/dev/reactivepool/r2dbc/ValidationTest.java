package dev.reactivepool.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ValidationDepth;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Validation on acquire: dead connections are detected and replaced invisibly, a hanging
 * validation is bounded by its timeout, the validation query and the idle window are honoured.
 */
final class ValidationTest {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PID = "SELECT pg_backend_pid()";

    private JdbcTemplate jdbc;

    @BeforeEach
    void observer() {
        jdbc = PgSupport.observer(PG.server().getPostgresDatabase());
    }

    @Test
    void everyBackendKilledIsDetectedAndReplacedAndTheNextQueriesSucceed() {
        String app = "validation-killed";
        PooledConnectionFactory factory = PooledConnectionFactory.builder(PgSupport.driver(PG.port(), app))
                .maxSize(5)
                .remoteValidationAfterIdle(Duration.ZERO)
                .acquireTimeout(WAIT)
                .build();
        try {
            // Five concurrent slow queries make the pool open its five connections.
            Set<Integer> before = new HashSet<>(Flux.range(0, 5)
                    .flatMap(i -> PgSupport.queryOne(factory, "SELECT pg_backend_pid() FROM pg_sleep(0.2)",
                            Integer.class))
                    .collectList().block(WAIT));
            assertThat(before).hasSize(5);
            assertThat(factory.metrics().idle()).isEqualTo(5);

            assertThat(PgSupport.terminateBackends(jdbc, app)).isEqualTo(5);
            Awaitility.await().atMost(WAIT).until(() -> PgSupport.backends(jdbc, app) == 0);

            List<Integer> after = Flux.range(0, 20)
                    .flatMap(i -> PgSupport.queryOne(factory, PID, Integer.class), 5)
                    .collectList().block(WAIT);
            assertThat(after).hasSize(20).doesNotContainAnyElementsOf(before);
            assertThat(factory.metrics().validationFailures()).as("dead connections detected").isEqualTo(5);
            assertThat(factory.metrics().destroyed()).isGreaterThanOrEqualTo(5);
            System.out.println("killed backends: " + factory.metrics());
        } finally {
            factory.close().block(WAIT);
        }
    }

    @Test
    void aConnectionKilledWhileBorrowedIsDestroyedOnReturn() {
        String app = "validation-killed-borrowed";
        PooledConnectionFactory factory = PooledConnectionFactory.builder(PgSupport.driver(PG.port(), app))
                .maxSize(1)
                .acquireTimeout(WAIT)
                .build();
        try {
            Connection borrowed = factory.create().block(WAIT);
            int pid = PgSupport.queryOn(borrowed, PID, Integer.class).block(WAIT);
            Mono.from(borrowed.beginTransaction()).block(WAIT);
            assertThat(PgSupport.terminateBackends(jdbc, app)).isEqualTo(1);
            Awaitility.await().atMost(WAIT).until(() -> PgSupport.backends(jdbc, app) == 0);
            Mono.from(borrowed.close()).block(WAIT);

            assertThat(factory.metrics().resetFailures()).isEqualTo(1);
            assertThat(PgSupport.queryOne(factory, PID, Integer.class).block(WAIT)).isNotEqualTo(pid);
        } finally {
            factory.close().block(WAIT);
        }
    }

    @Test
    void aHangingValidationTimesOutAndAnotherConnectionIsDrawn() {
        String app = "validation-hangs";
        // The round-trip check never answers; the local one works.
        ConnectionFactory hanging = FaultyConnections.replacing(PgSupport.driver(PG.port(), app), "validate",
                (real, args) -> args[0] == ValidationDepth.REMOTE ? Mono.never() : real.validate((ValidationDepth) args[0]));
        PooledConnectionFactory factory = PooledConnectionFactory.builder(hanging)
                .maxSize(2)
                .validationTimeout(Duration.ofMillis(300))
                .remoteValidationAfterIdle(Duration.ZERO)
                .acquireTimeout(Duration.ofSeconds(10))
                .build();
        try {
            int first = PgSupport.queryOne(factory, PID, Integer.class).block(WAIT);
            System.out.println("hanging validation, after first query: " + factory.metrics());
            long start = System.nanoTime();
            int second = PgSupport.queryOne(factory, PID, Integer.class).block(WAIT);
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.println("hanging validation, after second query (" + millis + " ms): " + factory.metrics());

            assertThat(second).isNotEqualTo(first);
            assertThat(millis).as("waited for the validation timeout").isGreaterThanOrEqualTo(250);
            assertThat(factory.metrics().validationFailures()).isEqualTo(1);
        } finally {
            factory.close().block(WAIT);
        }
    }

    @Test
    void theValidationQueryRunsAfterTheIdleWindowAndAFailingOneReplacesTheConnection() {
        String app = "validation-query";
        // A query that always fails: a connection idle past the window (zero) is never reused.
        PooledConnectionFactory failing = PooledConnectionFactory.builder(PgSupport.driver(PG.port(), app))
                .maxSize(1).validationQuery("SELECT 1/0").remoteValidationAfterIdle(Duration.ZERO).build();
        try {
            int first = PgSupport.queryOne(failing, PID, Integer.class).block(WAIT);
            int second = PgSupport.queryOne(failing, PID, Integer.class).block(WAIT);
            assertThat(second).isNotEqualTo(first);
            assertThat(failing.metrics().validationFailures()).isEqualTo(1);
        } finally {
            failing.close().block(WAIT);
        }
        // The same failing query is not run within the idle window: the connection is reused.
        PooledConnectionFactory windowed = PooledConnectionFactory.builder(PgSupport.driver(PG.port(), app))
                .maxSize(1).validationQuery("SELECT 1/0").remoteValidationAfterIdle(Duration.ofHours(1)).build();
        try {
            int first = PgSupport.queryOne(windowed, PID, Integer.class).block(WAIT);
            int second = PgSupport.queryOne(windowed, PID, Integer.class).block(WAIT);
            assertThat(second).isEqualTo(first);
            assertThat(windowed.metrics().validationFailures()).isZero();
        } finally {
            windowed.close().block(WAIT);
        }
        // A working query keeps the connection.
        PooledConnectionFactory working = PooledConnectionFactory.builder(PgSupport.driver(PG.port(), app))
                .maxSize(1).validationQuery("SELECT 1").remoteValidationAfterIdle(Duration.ZERO)
                .validationDepth(ValidationDepth.REMOTE).build();
        try {
            int first = PgSupport.queryOne(working, PID, Integer.class).block(WAIT);
            int second = PgSupport.queryOne(working, PID, Integer.class).block(WAIT);
            assertThat(second).isEqualTo(first);
            assertThat(working.metrics().validationFailures()).isZero();
        } finally {
            working.close().block(WAIT);
        }
    }
}
