package dev.reactivepool.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Clean state for the next borrower. Each pool has one connection, so the next borrower gets the
 * very connection the previous one returned (checked by its backend pid) and must find no open
 * transaction, the rows of the abandoned transaction gone, and the default session settings.
 */
final class ConnectionResetTest {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final Duration WAIT = Duration.ofSeconds(10);

    private JdbcTemplate jdbc;

    @BeforeEach
    void createTables() {
        jdbc = PgSupport.observer(PG.server().getPostgresDatabase());
        jdbc.execute("CREATE TABLE IF NOT EXISTS reset_probe (v INTEGER)");
        jdbc.execute("CREATE TABLE IF NOT EXISTS reset_deferred (v INTEGER UNIQUE DEFERRABLE INITIALLY DEFERRED)");
        jdbc.execute("TRUNCATE reset_probe, reset_deferred");
    }

    private static PooledConnectionFactory singleConnectionPool(ConnectionFactory driver) {
        return PooledConnectionFactory.builder(driver).maxSize(1).acquireTimeout(WAIT).build();
    }

    @Test
    void returnedMidTransactionWithChangedSettingsIsRolledBackAndRestored() {
        String app = "reset-mid-tx";
        PooledConnectionFactory factory = singleConnectionPool(PgSupport.driver(PG.port(), app));
        try {
            Connection first = factory.create().block(WAIT);
            int pid = PgSupport.queryOn(first, "SELECT pg_backend_pid()", Integer.class).block(WAIT);
            Mono.from(first.setTransactionIsolationLevel(IsolationLevel.SERIALIZABLE))
                    .then(Mono.from(first.setStatementTimeout(Duration.ofSeconds(7))))
                    .then(Mono.from(first.setLockWaitTimeout(Duration.ofSeconds(3))))
                    .then(Mono.from(first.beginTransaction()))
                    .thenMany(first.createStatement("INSERT INTO reset_probe VALUES (1)").execute())
                    .flatMap(result -> result.getRowsUpdated())
                    .blockLast(WAIT);
            assertThat(PgSupport.queryOn(first, "SHOW statement_timeout", String.class).block(WAIT)).isEqualTo("7s");
            assertThat(first.isAutoCommit()).isFalse();
            Mono.from(first.close()).block(WAIT);

            assertThat(jdbc.queryForObject("SELECT state FROM pg_stat_activity WHERE pid = ?", String.class, pid))
                    .as("server-side state of the returned connection").isEqualTo("idle");
            assertCleanNextBorrower(factory, pid);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM reset_probe", Integer.class)).isZero();
        } finally {
            factory.close().block(WAIT);
        }
    }

    @Test
    void returnedAfterAFailedCommitIsClean() {
        String app = "reset-failed-commit";
        PooledConnectionFactory factory = singleConnectionPool(PgSupport.driver(PG.port(), app));
        try {
            Connection first = factory.create().block(WAIT);
            int pid = PgSupport.queryOn(first, "SELECT pg_backend_pid()", Integer.class).block(WAIT);
            Mono.from(first.beginTransaction())
                    .thenMany(first.createStatement("INSERT INTO reset_deferred VALUES (1)").execute())
                    .flatMap(result -> result.getRowsUpdated())
                    .thenMany(first.createStatement("INSERT INTO reset_deferred VALUES (1)").execute())
                    .flatMap(result -> result.getRowsUpdated())
                    .blockLast(WAIT);
            // The deferred unique constraint is checked at commit, which fails.
            StepVerifier.create(first.commitTransaction()).expectError(R2dbcException.class).verify(WAIT);
            Mono.from(first.close()).block(WAIT);

            assertCleanNextBorrower(factory, pid);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM reset_deferred", Integer.class)).isZero();
        } finally {
            factory.close().block(WAIT);
        }
    }

    @Test
    void returnedInsideAnAbortedTransactionIsClean() {
        String app = "reset-aborted-tx";
        PooledConnectionFactory factory = singleConnectionPool(PgSupport.driver(PG.port(), app));
        try {
            Connection first = factory.create().block(WAIT);
            int pid = PgSupport.queryOn(first, "SELECT pg_backend_pid()", Integer.class).block(WAIT);
            Mono.from(first.beginTransaction()).block(WAIT);
            StepVerifier.create(PgSupport.queryOn(first, "SELECT 1/0", Integer.class))
                    .expectError(R2dbcException.class).verify(WAIT);
            assertThat(jdbc.queryForObject("SELECT state FROM pg_stat_activity WHERE pid = ?", String.class, pid))
                    .isEqualTo("idle in transaction (aborted)");
            Mono.from(first.close()).block(WAIT);

            assertThat(jdbc.queryForObject("SELECT state FROM pg_stat_activity WHERE pid = ?", String.class, pid))
                    .isEqualTo("idle");
            assertCleanNextBorrower(factory, pid);
        } finally {
            factory.close().block(WAIT);
        }
    }

    @Test
    void autoCommitTurnedOffIsTurnedBackOnAndItsWorkRolledBack() {
        String app = "reset-autocommit";
        PooledConnectionFactory factory = singleConnectionPool(PgSupport.driver(PG.port(), app));
        try {
            Connection first = factory.create().block(WAIT);
            int pid = PgSupport.queryOn(first, "SELECT pg_backend_pid()", Integer.class).block(WAIT);
            Mono.from(first.setAutoCommit(false))
                    .thenMany(first.createStatement("INSERT INTO reset_probe VALUES (2)").execute())
                    .flatMap(result -> result.getRowsUpdated())
                    .blockLast(WAIT);
            Mono.from(first.close()).block(WAIT);

            assertCleanNextBorrower(factory, pid);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM reset_probe", Integer.class)).isZero();
        } finally {
            factory.close().block(WAIT);
        }
    }

    @Test
    void theResetQueryUndoesSettingsChangedInSql() {
        // Without a reset query a SET issued as SQL survives the return (the pool cannot see it)...
        PooledConnectionFactory plain = singleConnectionPool(PgSupport.driver(PG.port(), "reset-no-query"));
        try {
            assertThat(workMemAfterASetInSql(plain)).isEqualTo("7MB");
        } finally {
            plain.close().block(WAIT);
        }
        // ...with DISCARD ALL as reset query it does not.
        PooledConnectionFactory discarding = PooledConnectionFactory.builder(
                        PgSupport.driver(PG.port(), "reset-discard-all"))
                .maxSize(1).resetQuery("DISCARD ALL").build();
        try {
            assertThat(workMemAfterASetInSql(discarding)).isEqualTo("4MB");
        } finally {
            discarding.close().block(WAIT);
        }
    }

    private static String workMemAfterASetInSql(PooledConnectionFactory factory) {
        Flux.usingWhen(factory.create(), c -> c.createStatement("SET work_mem = '7MB'").execute(), Connection::close)
                .blockLast(WAIT);
        return PgSupport.queryOne(factory, "SHOW work_mem", String.class).block(WAIT);
    }

    @Test
    void aCloseThatOutlastsTheDestroyTimeoutStillClosesTheServerSession() {
        String app = "destroy-slow-close";
        // The driver's close takes 300 ms to start; the pool waits only 50 ms for it.
        ConnectionFactory slowClose = FaultyConnections.replacing(PgSupport.driver(PG.port(), app),
                "close", (real, args) -> Mono.delay(Duration.ofMillis(300)).then(Mono.from(real.close())));
        PooledConnectionFactory factory = PooledConnectionFactory.builder(slowClose).maxSize(1)
                .acquireTimeout(WAIT).destroyTimeout(Duration.ofMillis(50)).build();
        Connection first = factory.create().block(WAIT);
        int pid = PgSupport.queryOn(first, "SELECT pg_backend_pid()", Integer.class).block(WAIT);
        Mono.from(first.close()).block(WAIT);

        // Closing the pool destroys the idle connection; the destroy step times out.
        factory.close().block(WAIT);
        assertThat(factory.metrics().destroyed()).isEqualTo(1);
        // The close was not cancelled with the step: the server session ends.
        org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(
                jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE pid = ?", Integer.class, pid))
                .as("the server session of the destroyed connection").isZero());
    }

    @Test
    void aConnectionWhoseRollbackFailsIsDestroyedNotReused() {
        String app = "reset-rollback-fails";
        ConnectionFactory faulty = FaultyConnections.replacing(PgSupport.driver(PG.port(), app),
                "rollbackTransaction", (real, args) -> Mono.error(new R2dbcNonTransientResourceException("rollback refused")));
        PooledConnectionFactory factory = singleConnectionPool(faulty);
        try {
            Connection first = factory.create().block(WAIT);
            int firstPid = PgSupport.queryOn(first, "SELECT pg_backend_pid()", Integer.class).block(WAIT);
            Mono.from(first.beginTransaction()).block(WAIT);
            Mono.from(first.close()).block(WAIT);

            assertThat(factory.metrics().resetFailures()).isEqualTo(1);
            assertThat(factory.metrics().destroyed()).isEqualTo(1);
            int secondPid = PgSupport.queryOne(factory, "SELECT pg_backend_pid()", Integer.class).block(WAIT);
            assertThat(secondPid).as("the next borrower gets a new connection").isNotEqualTo(firstPid);
            org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(
                    jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE pid = ?", Integer.class,
                            firstPid)).as("the dirty connection was closed").isZero());
        } finally {
            factory.close().block(WAIT);
        }
    }

    @Test
    void aConnectionThatFailedWithAConnectionErrorIsDestroyedNotReused() {
        String app = "reset-connection-error";
        // The driver reports a broken link (SQLSTATE 08006) but its local state still says "open".
        ConnectionFactory faulty = FaultyConnections.replacing(PgSupport.driver(PG.port(), app),
                "beginTransaction", (real, args) -> Mono.error(
                        new R2dbcNonTransientResourceException("connection failure", "08006")));
        PooledConnectionFactory factory = singleConnectionPool(faulty);
        try {
            Connection first = factory.create().block(WAIT);
            int firstPid = PgSupport.queryOn(first, "SELECT pg_backend_pid()", Integer.class).block(WAIT);
            assertThatThrownBy(() -> Mono.from(first.beginTransaction()).block(WAIT))
                    .isInstanceOf(R2dbcNonTransientResourceException.class);
            Mono.from(first.close()).block(WAIT);

            assertThat(factory.metrics().resetFailures()).isEqualTo(1);
            assertThat(factory.metrics().destroyed()).isEqualTo(1);
            int secondPid = PgSupport.queryOne(factory, "SELECT pg_backend_pid()", Integer.class).block(WAIT);
            assertThat(secondPid).as("the next borrower gets a new connection").isNotEqualTo(firstPid);
        } finally {
            factory.close().block(WAIT);
        }
    }

    @Test
    void aConnectionWhoseStatementFailedIsKept() {
        PooledConnectionFactory factory = singleConnectionPool(PgSupport.driver(PG.port(), "reset-sql-error"));
        try {
            Connection first = factory.create().block(WAIT);
            int firstPid = PgSupport.queryOn(first, "SELECT pg_backend_pid()", Integer.class).block(WAIT);
            assertThatThrownBy(() -> PgSupport.queryOn(first, "SELEC 1", Integer.class).block(WAIT))
                    .isInstanceOf(io.r2dbc.spi.R2dbcBadGrammarException.class);
            Mono.from(first.close()).block(WAIT);

            assertThat(factory.metrics().resetFailures()).isZero();
            int secondPid = PgSupport.queryOne(factory, "SELECT pg_backend_pid()", Integer.class).block(WAIT);
            assertThat(secondPid).as("a statement error does not cost the connection").isEqualTo(firstPid);
        } finally {
            factory.close().block(WAIT);
        }
    }

    @Test
    void aConnectionWhoseSettingsCannotBeRestoredIsDestroyedNotReused() {
        String app = "reset-restore-fails";
        // Setting the statement timeout works for the borrower; setting it back to 0 fails.
        ConnectionFactory faulty = FaultyConnections.replacing(PgSupport.driver(PG.port(), app),
                "setStatementTimeout", (real, args) -> ((Duration) args[0]).isZero()
                        ? Mono.error(new R2dbcNonTransientResourceException("restore refused"))
                        : real.setStatementTimeout((Duration) args[0]));
        PooledConnectionFactory factory = singleConnectionPool(faulty);
        try {
            Connection first = factory.create().block(WAIT);
            int firstPid = PgSupport.queryOn(first, "SELECT pg_backend_pid()", Integer.class).block(WAIT);
            Mono.from(first.setStatementTimeout(Duration.ofSeconds(7))).block(WAIT);
            Mono.from(first.close()).block(WAIT);

            assertThat(factory.metrics().resetFailures()).isEqualTo(1);
            int secondPid = PgSupport.queryOne(factory, "SELECT pg_backend_pid()", Integer.class).block(WAIT);
            assertThat(secondPid).isNotEqualTo(firstPid);
            assertThat(PgSupport.queryOne(factory, "SHOW statement_timeout", String.class).block(WAIT))
                    .isEqualTo("0");
        } finally {
            factory.close().block(WAIT);
        }
    }

    /** The next borrower gets connection {@code pid}, outside any transaction, with default settings. */
    private static void assertCleanNextBorrower(PooledConnectionFactory factory, int pid) {
        Flux.usingWhen(factory.create(), next -> Mono.fromRunnable(() -> {
                    assertThat(next.isAutoCommit()).isTrue();
                    assertThat(next.getTransactionIsolationLevel()).isEqualTo(IsolationLevel.READ_COMMITTED);
                })
                .then(Mono.zip(
                        PgSupport.queryOn(next, "SELECT pg_backend_pid()", Integer.class),
                        PgSupport.queryOn(next, "SHOW statement_timeout", String.class),
                        PgSupport.queryOn(next, "SHOW lock_timeout", String.class),
                        PgSupport.queryOn(next, "SHOW transaction_isolation", String.class),
                        // In a transaction begun earlier now() would be older than the statement.
                        PgSupport.queryOn(next, "SELECT now() = statement_timestamp()", Boolean.class),
                        PgSupport.queryOn(next, "SELECT txid_current_if_assigned() IS NULL", Boolean.class)))
                .doOnNext(settings -> {
                    assertThat(settings.getT1()).as("same connection").isEqualTo(pid);
                    assertThat(settings.getT2()).as("statement_timeout").isEqualTo("0");
                    assertThat(settings.getT3()).as("lock_timeout").isEqualTo("0");
                    assertThat(settings.getT4()).as("transaction_isolation").isEqualTo("read committed");
                    assertThat(settings.getT5()).as("no open transaction").isTrue();
                    assertThat(settings.getT6()).as("no transaction id assigned").isTrue();
                }), Connection::close)
                .blockLast(WAIT);
    }
}
