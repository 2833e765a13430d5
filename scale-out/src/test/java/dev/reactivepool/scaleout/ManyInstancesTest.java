package dev.reactivepool.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.reactivepool.PoolMetrics;
import dev.reactivepool.r2dbc.PooledConnectionFactory;
import io.r2dbc.spi.ConnectionFactory;
import org.HdrHistogram.ConcurrentHistogram;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Several application instances through one PgBouncer: four independent
 * {@link PooledConnectionFactory}s (as four instances would have), maxSize 10 each, under a
 * closed-loop load, through PgBouncer in transaction mode with {@code default_pool_size = 8},
 * and the same four pools straight to PostgreSQL. The assertions are about correctness and
 * bounds (no error; never more PostgreSQL sessions than PgBouncer's server pool, or than 4 x 10
 * straight; every pool within its maxSize; nothing left leased); the figures (queries/s, latency,
 * sessions, waits) are printed and written to {@code target/scale-out-figures.md}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class ManyInstancesTest {

    @RegisterExtension
    static final SharedPostgres PG = new SharedPostgres();

    static final int INSTANCES = 4;
    static final int MAX_SIZE = 10;
    static final int SERVER_POOL = 8;
    /** Closed-loop workers per instance: more than its maxSize, so that instances queue for connections. */
    static final int WORKERS = 16;
    static final Duration WARM_UP = Duration.ofSeconds(1);
    static final Duration MEASURED = Duration.ofSeconds(4);

    /** Application names, which PgBouncer passes on to its server sessions: they tell the two routes' sessions apart. */
    private static final String VIA_BOUNCER = "via-pgbouncer";
    private static final String STRAIGHT = "straight";

    private static PgBouncer bouncer;
    private static final List<Figures> FIGURES = new ArrayList<>();

    @BeforeAll
    static void startPgBouncer() {
        bouncer = PgBouncer.start(PG.get().port(),
                Map.of("pool_mode", "transaction", "default_pool_size", Integer.toString(SERVER_POOL)),
                Map.of("app", "host=127.0.0.1 port=${port} dbname=app"));
    }

    @AfterAll
    static void report() throws IOException {
        if (bouncer != null) {
            bouncer.close();
        }
        StringBuilder table = new StringBuilder()
                .append("Measured by ManyInstancesTest (scale-out module) with ").append(PgBouncer.version())
                .append(", PostgreSQL 17 (embedded), r2dbc-postgresql 1.0.8; ").append(INSTANCES)
                .append(" pools of maxSize ").append(MAX_SIZE).append(" in one JVM, ").append(WORKERS)
                .append(" closed-loop workers each; ").append(MEASURED.toSeconds()).append(" s measured after ")
                .append(WARM_UP.toSeconds()).append(" s warm-up; ").append(Runtime.getRuntime().availableProcessors())
                .append(" CPUs shared by the JVM, PgBouncer, PostgreSQL and whatever else runs on the machine")
                .append(" (its 1-minute load average at the end of each run is in the last column).\n\n")
                .append("| route | query | queries/s | p50 ms | p99 ms | PostgreSQL sessions (max) | pool acquire p99 ms | callers waiting in pools (max) | clients waiting in PgBouncer (max) | longest wait in PgBouncer ms | errors | load average |\n")
                .append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Figures f : FIGURES) {
            table.append(f.row()).append('\n');
        }
        System.out.println(table);
        String path = System.getProperty("scaleout.report");
        if (path != null) {
            Files.writeString(Path.of(path), table);
        }
    }

    enum Workload {
        POINT_SELECT("point select by id", "SELECT stock FROM item WHERE id = $1"),
        TWO_MS("2 ms on the server", "SELECT stock FROM item, pg_sleep(0.002) WHERE id = $1");

        final String label;
        final String sql;

        Workload(String label, String sql) {
            this.label = label;
            this.sql = sql;
        }
    }

    /** A first, unreported pass through both routes, so that neither measured run pays for the JIT compiling the path. */
    @Test
    @Order(0)
    void warmUpTheJvm() throws SQLException {
        assertThat(run("warm-up", Workload.POINT_SELECT, true, false).errors).as("errors").isZero();
        assertThat(run("warm-up", Workload.POINT_SELECT, false, false).errors).as("errors").isZero();
    }

    @Test
    @Order(1)
    void fourInstancesThroughPgBouncerNeverExceedItsServerPool() throws SQLException {
        for (Workload workload : Workload.values()) {
            Figures f = run("PgBouncer (transaction, pool 8)", workload, true);
            assertThat(f.errors).as("errors").isZero();
            assertThat(f.maxBackends).as("PostgreSQL sessions").isLessThanOrEqualTo(SERVER_POOL);
            assertThat(f.maxClientsWaitingAtPgBouncer).as("clients waiting in PgBouncer").isLessThanOrEqualTo(INSTANCES * MAX_SIZE);
        }
    }

    @Test
    @Order(2)
    void theSameFourInstancesStraightToPostgresqlOpenUpToFortySessions() throws SQLException {
        for (Workload workload : Workload.values()) {
            Figures f = run("straight to PostgreSQL", workload, false);
            assertThat(f.errors).as("errors").isZero();
            assertThat(f.maxBackends).as("PostgreSQL sessions").isLessThanOrEqualTo(INSTANCES * MAX_SIZE);
        }
    }

    private Figures run(String route, Workload workload, boolean throughBouncer) throws SQLException {
        return run(route, workload, throughBouncer, true);
    }

    private Figures run(String route, Workload workload, boolean throughBouncer, boolean report) throws SQLException {
        List<PooledConnectionFactory> pools = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            ConnectionFactory driver = throughBouncer
                    ? Drivers.postgresql(bouncer.port(), Postgres.DATABASE, 0, VIA_BOUNCER)
                    : Drivers.postgresql(PG.get().port(), Postgres.DATABASE, null, STRAIGHT);
            pools.add(PooledConnectionFactory.builder(driver)
                    .name("instance-" + i)
                    .maxSize(MAX_SIZE)
                    .minIdle(MAX_SIZE)
                    .acquireTimeout(Duration.ofSeconds(30))
                    .build());
        }
        // Connections are opened before the clock starts: the figures are about the steady state.
        for (PooledConnectionFactory pool : pools) {
            pool.warmup().block(Duration.ofSeconds(60));
        }
        // A fixed range: an auto-resizing ConcurrentHistogram takes a lock to resize (and HdrHistogram 2.2.2 can fail doing so).
        ConcurrentHistogram latencyMicros = new ConcurrentHistogram(1, Duration.ofMinutes(2).toNanos() / 1000, 3);
        AtomicLong completed = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        long start = System.nanoTime();
        long measureFrom = start + WARM_UP.toNanos();
        long end = measureFrom + MEASURED.toNanos();
        List<Disposable> load = new ArrayList<>();
        for (PooledConnectionFactory pool : pools) {
            load.add(Flux.range(0, WORKERS)
                    .flatMap(w -> Mono.defer(() -> {
                                long begin = System.nanoTime();
                                int id = ThreadLocalRandom.current().nextInt(1, Postgres.ROWS + 1);
                                return Flux.usingWhen(pool.create(), c -> Drivers.queryInt(c, workload.sql, id),
                                                io.r2dbc.spi.Connection::close)
                                        .single()
                                        .doOnNext(stock -> {
                                            long now = System.nanoTime();
                                            if (now >= measureFrom && now < end) {
                                                latencyMicros.recordValue((now - begin) / 1000);
                                                completed.incrementAndGet();
                                            }
                                        })
                                        .onErrorResume(e -> {
                                            errors.incrementAndGet();
                                            firstError.compareAndSet(null, e);
                                            return Mono.empty();
                                        });
                            })
                            .repeat(() -> System.nanoTime() < end), WORKERS)
                    .subscribe());
        }
        int maxBackends = 0;
        int maxPoolTotal = 0;
        int maxPending = 0;
        int maxClientsWaiting = 0;
        double maxBouncerWaitMillis = 0;
        double acquireP99Millis;
        try (Connection observer = PG.get().observer()) {
            while (System.nanoTime() < end) {
                maxBackends = Math.max(maxBackends, Postgres.backends(observer, throughBouncer ? VIA_BOUNCER : STRAIGHT));
                for (PooledConnectionFactory pool : pools) {
                    PoolMetrics m = pool.metrics();
                    maxPoolTotal = Math.max(maxPoolTotal, m.total());
                    maxPending = Math.max(maxPending, m.pending());
                }
                if (throughBouncer) {
                    Map<String, String> row = bouncer.pool(Postgres.DATABASE).orElseThrow();
                    maxClientsWaiting = Math.max(maxClientsWaiting, Integer.parseInt(row.get("cl_waiting")));
                    // maxwait: how long the oldest client in PgBouncer's queue has waited.
                    maxBouncerWaitMillis = Math.max(maxBouncerWaitMillis,
                            Long.parseLong(row.get("maxwait")) * 1000.0 + Long.parseLong(row.get("maxwait_us")) / 1000.0);
                }
                Awaitility.await().pollDelay(Duration.ofMillis(50)).until(() -> true);
            }
            // The workers stop by themselves at the end; every connection comes back.
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(load).allMatch(Disposable::isDisposed);
                assertThat(pools).allSatisfy(p -> assertThat(p.metrics().leased()).as("leased").isZero());
            });
            acquireP99Millis = pools.stream().mapToLong(p -> p.metrics().acquireLatency().p99Nanos()).max()
                    .orElse(0) / 1e6;
        } finally {
            load.forEach(Disposable::dispose);
            for (PooledConnectionFactory pool : pools) {
                pool.close().block(Duration.ofSeconds(10));
            }
        }
        double bouncerWaitMillis = throughBouncer ? maxBouncerWaitMillis : Double.NaN;
        Figures f = new Figures(route, workload.label, completed.get() / (MEASURED.toNanos() / 1e9),
                latencyMicros.getValueAtPercentile(50) / 1000.0, latencyMicros.getValueAtPercentile(99) / 1000.0,
                maxBackends, maxPoolTotal, acquireP99Millis, maxPending, throughBouncer ? maxClientsWaiting : -1,
                bouncerWaitMillis, errors.get(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println(f.row());
        if (firstError.get() != null) {
            firstError.get().printStackTrace(System.out);
        }
        if (report) {
            FIGURES.add(f);
        }
        assertThat(maxPoolTotal).as("connections of one pool").isLessThanOrEqualTo(MAX_SIZE);
        assertThat(completed.get()).as("queries completed").isPositive();
        return f;
    }

    record Figures(String route, String workload, double qps, double p50Millis, double p99Millis, int maxBackends,
                   int maxPoolTotal, double acquireP99Millis, int maxPending, int maxClientsWaitingAtPgBouncer,
                   double bouncerWaitMillis, long errors, double loadAverage) {
        String row() {
            return String.format(Locale.ROOT, "| %s | %s | %,.0f | %.2f | %.2f | %d | %.2f | %d | %s | %s | %d | %.1f |", route, workload,
                    qps, p50Millis, p99Millis, maxBackends, acquireP99Millis, maxPending,
                    maxClientsWaitingAtPgBouncer < 0 ? "-" : Integer.toString(maxClientsWaitingAtPgBouncer),
                    Double.isNaN(bouncerWaitMillis) ? "-" : String.format(Locale.ROOT, "%.2f", bouncerWaitMillis), errors,
                    loadAverage);
        }
    }
}
