package dev.reactivepool.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.reactivepool.PoolMetrics;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * A connection whose {@code create()} subscription is cancelled after it was emitted has been
 * abandoned (Spring's {@code R2dbcTransactionManager} does this when a request is cancelled during
 * {@code beginTransaction}: {@code flatMap} cancels its source, and nobody closes the connection).
 * The adapter takes it back: the handle dies, the transaction is rolled back, the connection is
 * idle again; and one that Reactor drops after emission goes back as well.
 */
final class AbandonedConnectionTest {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aConnectionAbandonedInsideATransactionIsRolledBackAndReturned() throws InterruptedException {
        String app = "abandoned-in-tx";
        JdbcTemplate jdbc = PgSupport.observer(PG.server().getPostgresDatabase());
        PooledConnectionFactory factory = PooledConnectionFactory.builder(PgSupport.driver(PG.port(), app))
                .maxSize(1).acquireTimeout(Duration.ofSeconds(5)).build();
        try {
            CountDownLatch inTransaction = new CountDownLatch(1);
            AtomicReference<Connection> received = new AtomicReference<>();
            // What R2dbcTransactionManager does: take a connection, begin, then the request is cancelled.
            Disposable request = Mono.from(factory.create())
                    .flatMap(c -> {
                        received.set(c);
                        return Mono.from(c.beginTransaction())
                                .then(Mono.fromRunnable(inTransaction::countDown))
                                .then(Mono.never());
                    })
                    .subscribe();
            assertThat(inTransaction.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(PgSupport.backendStates(jdbc, app)).containsExactly("idle in transaction");

            request.dispose(); // never closes the connection

            Awaitility.await().atMost(WAIT).untilAsserted(() -> {
                assertThat(factory.metrics().leased()).as("leased").isZero();
                assertThat(PgSupport.backendStates(jdbc, app)).containsExactly("idle");
            });
            assertThatThrownBy(() -> received.get().createStatement("SELECT 1"))
                    .isInstanceOf(R2dbcNonTransientResourceException.class)
                    .hasMessageContaining("returned to the pool");
            assertThat(factory.metrics().reclaimed()).isEqualTo(1);
            // The pool's only connection serves the next borrower, outside any transaction.
            assertThat(PgSupport.queryOne(factory, "SELECT count(*) FROM pg_stat_activity WHERE pid = pg_backend_pid()"
                    + " AND xact_start IS NOT NULL AND state <> 'active'", Long.class).block(WAIT)).isZero();
        } finally {
            factory.close().block(WAIT);
        }
    }

    @Test
    void aCancelAfterTheBorrowerClosedTheConnectionReturnsItOnlyOnce() {
        PooledConnectionFactory factory = PooledConnectionFactory.builder(PgSupport.driver(PG.port(), "abandoned-closed"))
                .maxSize(1).acquireTimeout(Duration.ofSeconds(5)).build();
        try {
            AtomicReference<Connection> first = new AtomicReference<>();
            Disposable holder = Mono.from(factory.create())
                    .flatMap(c -> {
                        first.set(c);
                        return Mono.from(c.close()).then(Mono.never());
                    })
                    .subscribe();
            Awaitility.await().atMost(WAIT).until(() -> factory.metrics().idle() == 1);
            Connection second = Mono.from(factory.create()).block(WAIT);

            holder.dispose(); // the late cancel of the first borrower must not touch the second

            assertThat(factory.metrics().leased()).isEqualTo(1);
            assertThat(factory.metrics().reclaimed()).isZero();
            assertThat(PgSupport.queryOn(second, "SELECT 1", Integer.class).block(WAIT)).isEqualTo(1);
            Mono.from(second.close()).block(WAIT);
            assertThat(factory.metrics().leased()).isZero();
        } finally {
            factory.close().block(WAIT);
        }
    }

    @Test
    void aConnectionDroppedByReactorAfterEmissionGoesBack() {
        PooledConnectionFactory factory = PooledConnectionFactory.builder(PgSupport.driver(PG.port(), "abandoned-dropped"))
                .maxSize(1).acquireTimeout(Duration.ofSeconds(5)).build();
        try {
            Connection connection = Mono.from(factory.create()).block(WAIT);
            assertThat(factory.metrics().leased()).isEqualTo(1);

            Operators.onNextDropped(connection, Context.empty()); // what a subscriber that cancelled does

            Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(factory.metrics().leased()).isZero());
            assertThat(factory.metrics().reclaimed()).isEqualTo(1);
            assertThatThrownBy(() -> connection.createStatement("SELECT 1"))
                    .isInstanceOf(R2dbcNonTransientResourceException.class);
            assertThat(PgSupport.queryOne(factory, "SELECT 1", Integer.class).block(WAIT)).isEqualTo(1);
        } finally {
            factory.close().block(WAIT);
        }
    }

    /**
     * Races of a request's cancel against every step: waiting, the hand-over to the connection's
     * thread, inside beginTransaction, mid-query. Whatever the moment, nothing stays leased, no
     * session stays in a transaction, and every connection can be had again.
     */
    @Test
    void cancelsAtRandomMomentsOfTransactionalWorkLoseNoConnection() {
        String app = "abandoned-storm";
        JdbcTemplate jdbc = PgSupport.observer(PG.server().getPostgresDatabase());
        PooledConnectionFactory factory = PooledConnectionFactory.builder(PgSupport.driver(PG.port(), app))
                .maxSize(2).acquireTimeout(Duration.ofSeconds(30)).build();
        SplittableRandom random = new SplittableRandom(7);
        int requests = 2_000;
        try {
            // Open both connections first, so that the cancels hit working connections.
            Flux.range(0, 2).flatMap(i -> PgSupport.queryOne(factory, "SELECT 1 FROM pg_sleep(0.05)", Integer.class))
                    .blockLast(WAIT);
            Flux.range(0, requests)
                    .flatMap(i -> {
                        long delayMicros = random.nextLong(0, 4_000);
                        // The transaction-manager shape: the connection is closed only on success.
                        return Mono.from(factory.create())
                                .flatMap(c -> Mono.from(c.beginTransaction())
                                        .then(PgSupport.queryOn(c, "SELECT 1 FROM pg_sleep(0.001)", Integer.class))
                                        .then(Mono.from(c.commitTransaction()))
                                        .then(Mono.from(c.close())))
                                .take(Duration.ofNanos(delayMicros * 1_000))
                                .onErrorResume(e -> Mono.empty());
                    }, 4)
                    .blockLast(Duration.ofMinutes(2));
            Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                PoolMetrics m = factory.metrics();
                assertThat(m.leased()).as("leased: %s", m).isZero();
                assertThat(m.pending()).as("pending").isZero();
                assertThat(m.created() - m.destroyed()).as("live connections").isEqualTo(m.idle());
            });
            List<String> states = PgSupport.backendStates(jdbc, app);
            assertThat(states).as("server-side states").hasSize(2).allMatch("idle"::equals);
            assertThat(factory.metrics().reclaimed()).as("connections abandoned after emission and reclaimed")
                    .isPositive();
            List<Integer> both = Flux.range(0, 2)
                    .flatMap(i -> Mono.usingWhen(factory.create(),
                            c -> PgSupport.queryOn(c, "SELECT 1 FROM pg_sleep(0.05)", Integer.class), Connection::close))
                    .collectList().block(WAIT);
            assertThat(both).containsExactly(1, 1);
            System.out.printf("abandoned-connection storm: %d requests, reclaimed %d, server states %s, pool %s%n",
                    requests, factory.metrics().reclaimed(), states, factory.metrics());
        } finally {
            factory.close().block(WAIT);
        }
    }

    @Test
    void aHandleLostBeforeUseReturnsItsConnectionOnceCollected() throws InterruptedException {
        PooledConnectionFactory factory = PooledConnectionFactory.builder(PgSupport.driver(PG.port(), "abandoned-lost"))
                .maxSize(1).acquireTimeout(Duration.ofSeconds(5)).build();
        try {
            CountDownLatch received = new CountDownLatch(1);
            Mono.from(factory.create()).subscribe(c -> received.countDown()); // received and forgotten: never closed
            assertThat(received.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

            Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
                System.gc();
                assertThat(factory.metrics().leased()).isZero();
            });
            assertThat(factory.metrics().reclaimed()).isEqualTo(1);
            assertThat(PgSupport.queryOne(factory, "SELECT 1", Integer.class).block(WAIT)).isEqualTo(1);
        } finally {
            factory.close().block(WAIT);
        }
    }

    @Test
    void aLostHandleWhoseDriverConnectionWasUnwrappedIsNotReused() throws InterruptedException {
        PooledConnectionFactory factory = PooledConnectionFactory.builder(PgSupport.driver(PG.port(), "abandoned-unwrapped"))
                .maxSize(2).acquireTimeout(Duration.ofSeconds(5)).closeGracePeriod(Duration.ofMillis(100)).build();
        AtomicReference<Connection> driverConnection = new AtomicReference<>();
        try {
            CountDownLatch received = new CountDownLatch(2);
            Mono.from(factory.create()).subscribe(c -> {
                driverConnection.set((Connection) ((io.r2dbc.spi.Wrapped<?>) c).unwrap());
                received.countDown();
            });
            // The control: a handle lost without unwrap goes back, so the collector did run.
            Mono.from(factory.create()).subscribe(c -> received.countDown());
            assertThat(received.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
                System.gc();
                assertThat(factory.metrics().reclaimed()).isEqualTo(1);
            });
            for (int i = 0; i < 5; i++) {
                System.gc();
            }
            assertThat(factory.metrics().leased()).as("the unwrapped one may still be in use").isEqualTo(1);
            assertThat(factory.metrics().reclaimed()).isEqualTo(1);
        } finally {
            factory.close().block(WAIT);
            if (driverConnection.get() != null) {
                Mono.from(driverConnection.get().close()).block(WAIT);
            }
        }
    }

    /** publishOn loses a value on cancel without any hook; the handle's watch finds it. */
    @Test
    void connectionsLostByPublishOnOnCancelComeBack() {
        PooledConnectionFactory factory = PooledConnectionFactory.builder(PgSupport.driver(PG.port(), "abandoned-publishon"))
                .maxSize(2).acquireTimeout(Duration.ofSeconds(30)).maxPending(Integer.MAX_VALUE).build();
        try {
            Flux.range(0, 2).flatMap(i -> PgSupport.queryOne(factory, "SELECT 1 FROM pg_sleep(0.05)", Integer.class))
                    .blockLast(WAIT);
            for (int i = 0; i < 5_000; i++) {
                Disposable request = Mono.from(factory.create())
                        .publishOn(reactor.core.scheduler.Schedulers.single())
                        .subscribe(c -> Mono.from(c.close()).subscribe());
                if ((i & 1) == 0) {
                    request.dispose();
                }
                if ((i & 255) == 255) {
                    awaitAllBack(factory);
                }
            }
            awaitAllBack(factory);
            System.out.printf("publishOn races on the R2DBC adapter: 5000, reclaimed %d, pool %s%n",
                    factory.metrics().reclaimed(), factory.metrics());
            List<Integer> both = Flux.range(0, 2)
                    .flatMap(i -> PgSupport.queryOne(factory, "SELECT 1 FROM pg_sleep(0.05)", Integer.class))
                    .collectList().block(WAIT);
            assertThat(both).containsExactly(1, 1);
        } finally {
            factory.close().block(WAIT);
        }
    }

    private static void awaitAllBack(PooledConnectionFactory factory) {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).untilAsserted(() -> {
            PoolMetrics m = factory.metrics();
            if (m.leased() > 0) {
                System.gc();
            }
            assertThat(m.leased()).as("leased: %s", m).isZero();
            assertThat(m.pending()).as("pending: %s", m).isZero();
        });
    }
}
