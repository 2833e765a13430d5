package dev.reactivepool.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import dev.reactivepool.PoolMetrics;
import dev.reactivepool.r2dbc.PooledConnectionFactory;
import dev.reactivepool.r2dbc.internal.StatementCacheHint;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.R2dbcBadGrammarException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The R2DBC adapter behind PgBouncer in transaction pooling mode: what r2dbc-postgresql needs
 * ({@code preparedStatementCacheQueries=0}), queries, parameterised statements, transactions,
 * rollback of a transaction left open, what a session setting does there, and a cancellation
 * storm that leaves no server session inside a transaction.
 */
final class TransactionPoolingTest {

    @RegisterExtension
    static final SharedPostgres PG = new SharedPostgres();

    private static PgBouncer bouncer;

    @BeforeAll
    static void startPgBouncer() {
        bouncer = PgBouncer.start(PG.get().port(), Map.of("pool_mode", "transaction", "default_pool_size", "8"),
                Map.of("app", "host=127.0.0.1 port=${port} dbname=app",
                        // One server connection: every client shares it, which makes cross-client effects certain.
                        "app_single", "host=127.0.0.1 port=${port} dbname=app pool_size=1"));
    }

    @AfterAll
    static void stopPgBouncer() {
        if (bouncer != null) {
            bouncer.close();
        }
    }

    private static PooledConnectionFactory pool(String database, Integer preparedStatementCache, int maxSize) {
        return PooledConnectionFactory.builder(Drivers.postgresql(bouncer.port(), database, preparedStatementCache))
                .maxSize(maxSize)
                .acquireTimeout(Duration.ofSeconds(20))
                .build();
    }

    @Test
    void withTheDriversDefaultStatementCacheTwoClientsCollideOnOneServerConnection() {
        // r2dbc-postgresql names the prepared statements of a connection S_0, S_1, ...; behind
        // transaction pooling two clients' S_0 meet on one server session.
        PooledConnectionFactory pool = pool("app_single", null, 2);
        try {
            Throwable error = Flux.usingWhen(pool.create(), a -> Flux.usingWhen(pool.create(),
                                    b -> Drivers.queryInt(a, "SELECT stock FROM item WHERE id = $1", 1)
                                            .then(Drivers.queryInt(b, "SELECT stock FROM item WHERE id = $1", 2)),
                                    Connection::close),
                            Connection::close)
                    .then(Mono.<Throwable>empty())
                    .onErrorResume(Mono::just)
                    .block(Duration.ofSeconds(20));
            assertThat(error).isInstanceOf(R2dbcBadGrammarException.class)
                    .hasMessageContaining("prepared statement \"S_0\" already exists");
            // The adapter recognised it and logged, once, the setting that avoids it.
            assertThat(StatementCacheHint.logged()).isTrue();
        } finally {
            pool.close().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void withoutTheStatementCacheParameterisedStatementsWorkByUrl() {
        // The configuration the docs give: pool options and the driver's option in one URL.
        ConnectionFactory factory = ConnectionFactories.get("r2dbc:reactivepool:postgresql://postgres@127.0.0.1:"
                + bouncer.port() + "/app?preparedStatementCacheQueries=0&maxSize=10&name=by-url");
        PooledConnectionFactory pool = (PooledConnectionFactory) factory;
        try {
            // 2,000 parameterised queries of two shapes, 32 at a time from 10 clients over 8 server connections.
            List<Boolean> correct = Flux.range(0, 2000)
                    .flatMap(i -> {
                        int id = 1 + i % Postgres.ROWS;
                        return Flux.usingWhen(factory.create(), c -> i % 2 == 0
                                        ? Drivers.queryInt(c, "SELECT stock + $1 FROM item WHERE id = $2", id, id)
                                                .map(v -> v == 100 + id)
                                        : Flux.from(c.createStatement("SELECT name FROM item WHERE id = $1").bind("$1", id).execute())
                                                .flatMap(r -> r.map((row, m) -> row.get(0, String.class)))
                                                .single()
                                                .map(name -> name.equals("item-" + id)),
                                Connection::close);
                    }, 32)
                    .collectList()
                    .block(Duration.ofSeconds(60));
            assertThat(correct).hasSize(2000).containsOnly(true);

            // A statement with several sets of bindings.
            List<Integer> batch = Flux.usingWhen(factory.create(),
                            c -> Flux.from(c.createStatement("SELECT stock + $1 FROM item WHERE id = 1")
                                            .bind(0, 1).add().bind(0, 2).add().bind(0, 3).execute())
                                    .concatMap(r -> r.map((row, m) -> row.get(0, Integer.class))),
                            Connection::close)
                    .collectList().block(Duration.ofSeconds(10));
            assertThat(batch).containsExactly(101, 102, 103);
            assertThat(pool.metrics().total()).isLessThanOrEqualTo(10);
        } finally {
            pool.close().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void transactionsCommitAndRollBackAndOneLeftOpenIsRolledBackOnReturn() {
        PooledConnectionFactory pool = pool("app", 0, 4);
        try {
            Flux.usingWhen(pool.create(), c -> Mono.from(c.beginTransaction())
                    .then(insert(c, "committed"))
                    .then(Mono.from(c.commitTransaction())), Connection::close).blockLast(Duration.ofSeconds(10));
            Flux.usingWhen(pool.create(), c -> Mono.from(c.beginTransaction())
                    .then(insert(c, "rolled back"))
                    .then(Mono.from(c.rollbackTransaction())), Connection::close).blockLast(Duration.ofSeconds(10));
            // Returned inside a transaction: the pool rolls it back, PgBouncer's server session is freed.
            Flux.usingWhen(pool.create(), c -> Mono.from(c.beginTransaction())
                    .then(insert(c, "abandoned")), Connection::close).blockLast(Duration.ofSeconds(10));
            // Returned with auto-commit off (an implicit transaction open on the server).
            Flux.usingWhen(pool.create(), c -> Mono.from(c.setAutoCommit(false))
                    .then(insert(c, "auto-commit off")), Connection::close).blockLast(Duration.ofSeconds(10));

            assertThat(PG.get().appInt("SELECT count(*) FROM ledger WHERE note = 'committed'")).isEqualTo(1);
            assertThat(PG.get().appInt("SELECT count(*) FROM ledger WHERE note IN ('rolled back', 'abandoned', 'auto-commit off')"))
                    .isZero();
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(PG.get().backendStates()).doesNotContain("idle in transaction",
                            "idle in transaction (aborted)", "active"));
            Map<String, String> pgbPool = bouncer.pool("app").orElseThrow();
            assertThat(pgbPool.get("sv_active")).as("server connections linked to a client").isEqualTo("0");
            PoolMetrics m = pool.metrics();
            assertThat(m.leased()).isZero();
            assertThat(m.resetFailures()).isZero();
            assertThat(Drivers.one(pool, "SELECT 1", Integer.class).block(Duration.ofSeconds(10))).isEqualTo(1);
        } finally {
            pool.close().block(Duration.ofSeconds(10));
        }
    }

    private static Mono<Long> insert(Connection c, String note) {
        return Flux.from(c.createStatement("INSERT INTO ledger (note) VALUES ($1)").bind(0, note).execute())
                .concatMap(r -> r.getRowsUpdated()).reduce(0L, Long::sum);
    }

    @Test
    void aSessionSettingOutsideATransactionReachesOtherClientsATransactionScopedOneDoesNot() {
        // Behind transaction pooling a SET outside a transaction changes whichever server session
        // ran it, for whoever uses that session next. One server connection makes that certain here.
        PooledConnectionFactory a = pool("app_single", 0, 1);
        PooledConnectionFactory b = pool("app_single", 0, 1);
        try {
            String seenByB = Flux.usingWhen(a.create(),
                    ca -> Mono.from(ca.setStatementTimeout(Duration.ofMillis(1234)))
                            .then(Drivers.one(b, "SHOW statement_timeout", String.class)),
                    Connection::close).single().block(Duration.ofSeconds(10));
            assertThat(seenByB).as("another instance's session setting").isEqualTo("1234ms");
            // The pool restores its default when A comes back, on whichever session runs that SET.
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(Drivers.one(b, "SHOW statement_timeout", String.class).block(Duration.ofSeconds(10)))
                            .isEqualTo("0"));

            // Settings scoped to a transaction stay there: SET LOCAL and the isolation level of BEGIN.
            List<String> inside = Flux.usingWhen(a.create(),
                    ca -> Mono.from(ca.beginTransaction(IsolationLevel.SERIALIZABLE))
                            .then(Drivers.execute(ca, "SET LOCAL statement_timeout = '1234ms'"))
                            .then(Drivers.queryString(ca, "SHOW statement_timeout"))
                            .flatMap(t -> Drivers.queryString(ca, "SHOW transaction_isolation").map(i -> List.of(t, i)))
                            .flatMap(values -> Mono.from(ca.commitTransaction()).thenReturn(values)),
                    Connection::close).single().block(Duration.ofSeconds(10));
            assertThat(inside).containsExactly("1234ms", "serializable");
            assertThat(Drivers.one(b, "SHOW statement_timeout", String.class).block(Duration.ofSeconds(10))).isEqualTo("0");
            assertThat(Drivers.one(b, "SHOW transaction_isolation", String.class).block(Duration.ofSeconds(10)))
                    .isEqualTo("read committed");
        } finally {
            a.close().block(Duration.ofSeconds(10));
            b.close().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void aCancellationStormLeavesNoServerSessionInsideATransaction() {
        int operations = 3000;
        PooledConnectionFactory pool = PooledConnectionFactory.builder(Drivers.postgresql(bouncer.port(), "app", 0))
                .maxSize(10)
                .acquireTimeout(Duration.ofSeconds(30))
                .resetTimeout(Duration.ofSeconds(5))
                .build();
        SplittableRandom random = new SplittableRandom(17);
        long[] delaysMicros = new long[operations];
        int[] kinds = new int[operations];
        for (int i = 0; i < operations; i++) {
            delaysMicros[i] = random.nextLong(0, 20_000);
            kinds[i] = random.nextInt(3);
        }
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger cutShort = new AtomicInteger();
        try {
            Flux.range(0, operations)
                    .flatMap(i -> Flux.usingWhen(pool.create(), c -> work(c, kinds[i], i), Connection::close)
                            .then(Mono.fromRunnable(completed::incrementAndGet))
                            .doOnCancel(cutShort::incrementAndGet)
                            // One in a hundred is never cut short and must complete.
                            .take(i % 100 == 0 ? Duration.ofMinutes(1) : Duration.ofNanos(delaysMicros[i] * 1000))
                            .then(), 16)
                    .blockLast(Duration.ofMinutes(2));

            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                PoolMetrics m = pool.metrics();
                assertThat(m.leased()).as("leased").isZero();
                assertThat(m.pending()).as("pending").isZero();
                assertThat(m.total()).as("every live connection is idle").isEqualTo(m.idle());
                assertThat(PG.get().backendStates()).as("server sessions").doesNotContain(
                        "idle in transaction", "idle in transaction (aborted)");
                assertThat(bouncer.pool("app").orElseThrow().get("sv_active")).as("PgBouncer: linked servers")
                        .isEqualTo("0");
                assertThat(bouncer.pool("app").orElseThrow().get("cl_waiting")).as("PgBouncer: waiting clients")
                        .isEqualTo("0");
            });
            System.out.printf("cancellation storm behind PgBouncer: %d operations, %d completed, %d cut short; %s%n",
                    operations, completed.get(), cutShort.get(), pool.metrics());
            assertThat(completed.get()).isGreaterThanOrEqualTo(operations / 100);
            assertThat(bouncer.serverConnections("app")).as("PgBouncer's server connections").isLessThanOrEqualTo(8);
            assertThat(Drivers.one(pool, "SELECT count(*)::int FROM item", Integer.class).block(Duration.ofSeconds(10)))
                    .isEqualTo(Postgres.ROWS);
        } finally {
            pool.close().block(Duration.ofSeconds(10));
        }
    }

    /** Plain query, a committed transaction or a rolled-back one, each with a short server-side pause. */
    private static Publisher<?> work(Connection c, int kind, int i) {
        return switch (kind) {
            case 0 -> Drivers.queryInt(c, "SELECT stock FROM item, pg_sleep(0.002) WHERE id = $1", 1 + i % Postgres.ROWS);
            case 1 -> Mono.from(c.beginTransaction())
                    .then(Drivers.queryInt(c, "SELECT count(*)::int FROM pg_sleep(0.002)"))
                    .then(insert(c, "storm"))
                    .then(Mono.from(c.commitTransaction()));
            default -> Mono.from(c.beginTransaction())
                    .then(insert(c, "storm rolled back"))
                    .then(Drivers.queryInt(c, "SELECT count(*)::int FROM pg_sleep(0.002)"))
                    .then(Mono.from(c.rollbackTransaction()));
        };
    }
}
