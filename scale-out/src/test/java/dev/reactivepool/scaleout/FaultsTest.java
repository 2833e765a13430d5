package dev.reactivepool.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import dev.reactivepool.PoolMetrics;
import dev.reactivepool.r2dbc.PooledConnectionFactory;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.R2dbcException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Faults through PgBouncer (transaction mode) under a closed-loop load from a pool of 10: PgBouncer
 * restarted, its server connections killed behind it ({@code pg_terminate_backend}), PostgreSQL
 * restarted behind it. In every case the pool recovers by itself (the load succeeds again with no
 * action on the pool), every error the callers saw is an R2DBC exception with a message, every
 * write that was acknowledged is in the database, and the pool's books balance once the load
 * stops: nothing leased or pending, every live connection idle (created - destroyed == idle).
 * This class has a PostgreSQL of its own, since it restarts it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class FaultsTest {

    private static Postgres postgres;
    private static PgBouncer bouncer;

    private PooledConnectionFactory pool;
    private ClosedLoop load;
    private final Queue<String> acknowledged = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() {
        PgBouncer.binary();
        postgres = Postgres.start();
        bouncer = PgBouncer.start(postgres.port(),
                Map.of("pool_mode", "transaction", "default_pool_size", "8",
                        // Clients queued for a server while PostgreSQL is down give up after 20 s.
                        "query_wait_timeout", "20"),
                Map.of("app", "host=127.0.0.1 port=${port} dbname=app"));
    }

    @AfterAll
    static void stop() {
        if (bouncer != null) {
            bouncer.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void startLoad(org.junit.jupiter.api.TestInfo test) {
        pool = PooledConnectionFactory.builder(Drivers.postgresql(bouncer.port(), Postgres.DATABASE, 0))
                .name("faults")
                .maxSize(10)
                .acquireTimeout(Duration.ofSeconds(5))
                .createTimeout(Duration.ofSeconds(5))
                .validationTimeout(Duration.ofSeconds(2))
                .creationBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .build();
        String tag = test.getTestMethod().orElseThrow().getName();
        // Half the operations write one row in a transaction (the row's note is kept once the
        // commit is acknowledged), half read in auto-commit mode.
        load = new ClosedLoop(8, n -> n % 2 == 0
                ? Flux.usingWhen(pool.create(), c -> Mono.from(c.beginTransaction())
                                .then(insert(c, tag + "-" + n))
                                .then(Mono.from(c.commitTransaction())), Connection::close)
                        .then(Mono.fromRunnable(() -> acknowledged.add(tag + "-" + n)))
                : Flux.usingWhen(pool.create(), c -> Drivers.queryInt(c,
                        "SELECT stock FROM item, pg_sleep(0.001) WHERE id = $1", 1 + n % Postgres.ROWS), Connection::close)
                        .single());
        awaitSuccesses(50, Duration.ofSeconds(30));
    }

    @AfterEach
    void stopLoad() {
        load.dispose();
        pool.close().block(Duration.ofSeconds(15));
    }

    private static Mono<Long> insert(Connection c, String note) {
        return Flux.from(c.createStatement("INSERT INTO ledger (note) VALUES ($1)").bind(0, note).execute())
                .concatMap(r -> r.getRowsUpdated()).reduce(0L, Long::sum);
    }

    @Test
    @Order(1)
    void pgBouncerRestarted() {
        bouncer.stop();
        long errorsBefore = load.errors().size();
        // While it is down, callers fail (connection refused, connection closed).
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> load.errors().size() > errorsBefore);
        bouncer.restart();
        recoverAndCheck("PgBouncer restarted");
    }

    @Test
    @Order(2)
    void serverConnectionsKilledBehindPgBouncer() {
        int killed = 0;
        for (int i = 0; i < 3; i++) {
            killed += postgres.terminateBackends();
            awaitSuccesses(load.successes() + 20, Duration.ofSeconds(30));
        }
        assertThat(killed).as("server sessions terminated").isPositive();
        recoverAndCheck("server connections killed (" + killed + ")");
    }

    @Test
    @Order(3)
    void postgresqlRestartedBehindPgBouncer() {
        postgres.stop();
        long errorsBefore = load.errors().size();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> load.errors().size() > errorsBefore);
        postgres.startAgain();
        recoverAndCheck("PostgreSQL restarted");
    }

    private void awaitSuccesses(long successes, Duration within) {
        Awaitility.await().atMost(within).until(() -> load.successes() >= successes);
    }

    private void recoverAndCheck(String fault) {
        long recoveredFrom = load.successes();
        // Recovered by itself: 200 more operations succeed with nobody touching the pool.
        awaitSuccesses(recoveredFrom + 200, Duration.ofSeconds(60));
        load.stop();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(load::finished);

        List<Throwable> errors = load.errors();
        Map<String, Long> kinds = errors.stream().collect(Collectors.groupingBy(
                e -> e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()), LinkedHashMap::new,
                Collectors.counting()));
        System.out.printf("%s: %d operations succeeded, %d failed; errors: %s; %s%n", fault, load.successes(),
                errors.size(), kinds, pool.metrics());
        assertThat(errors).as("errors the callers saw").allSatisfy(e -> {
            assertThat(e).isInstanceOf(R2dbcException.class);
            assertThat(e.getMessage()).isNotBlank();
        });

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            PoolMetrics m = pool.metrics();
            assertThat(m.leased()).as("leased").isZero();
            assertThat(m.pending()).as("pending").isZero();
            assertThat(m.creating()).as("creating").isZero();
            assertThat(m.total()).as("live connections all idle").isEqualTo(m.idle());
            assertThat(m.created() - m.destroyed()).as("created - destroyed").isEqualTo(m.idle());
        });
        // Nothing lost: every write whose commit was acknowledged is there.
        List<String> notes = List.copyOf(acknowledged);
        int present = postgres.appInt("SELECT count(*) FROM ledger WHERE note = ANY (string_to_array('"
                + String.join(",", notes) + "', ','))");
        assertThat(present).as("acknowledged writes present").isEqualTo(notes.size());
        assertThat(postgres.backendStates()).as("server sessions")
                .doesNotContain("idle in transaction", "idle in transaction (aborted)");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "null";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
