package dev.reactivepool.benchmarks.e2e;

import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import dev.reactivepool.benchmarks.Profile;
import dev.reactivepool.benchmarks.report.EndToEndFigure;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * End-to-end R2DBC: {@code SELECT 1} and a one-row lookup by primary key on an embedded
 * PostgreSQL on loopback, at each concurrency, through reactive-pool's R2DBC adapter, r2dbc-pool
 * and a new connection per query. Every query takes a connection with
 * {@code ConnectionFactory.create()} and gives it back with {@code Connection.close()}, the same
 * code for every subject.
 */
public final class R2dbcSuite {

    /** Rows in the lookup table. */
    static final int ROWS = 10_000;

    /** The scenarios: name and the query run with a connection. */
    private static final List<Scenario> SCENARIOS = List.of(
            new Scenario("SELECT 1", c -> Flux.from(c.createStatement("SELECT 1").execute())
                    .flatMap(r -> r.map((row, meta) -> row.get(0, Integer.class)))
                    .then()),
            new Scenario("lookup by PK", c -> Flux.from(
                            c.createStatement("SELECT id, name FROM bench_item WHERE id = $1")
                                    .bind("$1", ThreadLocalRandom.current().nextInt(1, ROWS + 1))
                                    .execute())
                    .flatMap(r -> r.map((row, meta) -> row.get("name", String.class)))
                    .then()));

    private record Scenario(String name, Function<Connection, Mono<Void>> query) {
    }

    private final Profile profile;
    private final List<Integer> concurrencies;

    /**
     * Prepares the suite.
     *
     * @param profile       warmup and measurement windows
     * @param concurrencies queries in flight, for example 64 and 512
     */
    public R2dbcSuite(Profile profile, List<Integer> concurrencies) {
        this.profile = profile;
        this.concurrencies = List.copyOf(concurrencies);
    }


    /**
     * Starts PostgreSQL, runs every case, stops PostgreSQL.
     *
     * @return one figure per scenario, concurrency and subject
     * @throws Exception if PostgreSQL cannot start or a case fails to set up
     */
    public List<EndToEndFigure> run() throws Exception {
        List<EndToEndFigure> figures = new ArrayList<>();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                // room for the no-pool baseline, which holds one backend per query in flight
                .setServerConfig("max_connections", String.valueOf(maxConcurrency() + 50))
                .start()) {
            createTable(pg);
            PostgresqlConnectionFactory driver = new PostgresqlConnectionFactory(
                    PostgresqlConnectionConfiguration.builder()
                            .host("127.0.0.1")
                            .port(pg.getPort())
                            .username("postgres")
                            .database("postgres")
                            .connectTimeout(Duration.ofSeconds(30))
                            .build());
            warmUpJit(driver);
            for (Scenario scenario : SCENARIOS) {
                for (int concurrency : concurrencies) {
                    figures.addAll(runCase(scenario, concurrency, driver));
                }
            }
        }
        return figures;
    }

    /**
     * Runs every subject through every scenario once, unmeasured, so that the code they share
     * (driver, Netty, Reactor) is compiled before the first measured case: otherwise whichever
     * subject runs first pays for the JIT.
     */
    private void warmUpJit(ConnectionFactory driver) throws InterruptedException {
        int concurrency = concurrencies.stream().mapToInt(Integer::intValue).min().orElse(1);
        for (Scenario scenario : SCENARIOS) {
            for (String subjectName : R2dbcSubjects.names()) {
                R2dbcSubject subject = R2dbcSubjects.create(subjectName, driver);
                System.out.printf("r2dbc: JIT warmup, %s, %s%n", scenario.name(), subjectName);
                try {
                    ConnectionFactory factory = subject.factory();
                    new ClosedLoopLoad(() -> Mono.usingWhen(factory.create(), scenario.query(), Connection::close),
                            concurrency).run(profile.endToEndWarmup(), Duration.ZERO);
                } finally {
                    subject.close().block(Duration.ofSeconds(60));
                }
            }
        }
    }

    /**
     * One scenario at one concurrency: every subject, each with its own fresh pool kept for both
     * rounds, so that its connections opened count once.
     */
    private List<EndToEndFigure> runCase(Scenario scenario, int concurrency, ConnectionFactory driver)
            throws InterruptedException {
        Map<String, CountingConnectionFactory> counters = new LinkedHashMap<>();
        Map<String, R2dbcSubject> subjects = new LinkedHashMap<>();
        try {
            for (String name : R2dbcSubjects.names()) {
                CountingConnectionFactory counting = new CountingConnectionFactory(driver);
                counters.put(name, counting);
                subjects.put(name, R2dbcSubjects.create(name, counting));
            }
            Map<String, ClosedLoopLoad.Outcome> outcomes = AlternatingRounds.run(R2dbcSubjects.names(), profile,
                    (name, warmup, measurement) -> {
                        System.out.printf("r2dbc: %s, concurrency %d, %s ...%n", scenario.name(), concurrency, name);
                        ConnectionFactory factory = subjects.get(name).factory();
                        return new ClosedLoopLoad(() -> Mono.usingWhen(
                                factory.create(), scenario.query(), Connection::close), concurrency)
                                .run(warmup, measurement);
                    });
            List<EndToEndFigure> figures = new ArrayList<>();
            for (Map.Entry<String, ClosedLoopLoad.Outcome> e : outcomes.entrySet()) {
                EndToEndFigure figure = Figures.of("r2dbc", scenario.name(), concurrency, e.getKey(), e.getValue(),
                        counters.get(e.getKey()).opened());
                System.out.println("  " + e.getKey() + ": " + Figures.describe(figure, e.getValue()));
                figures.add(figure);
            }
            return figures;
        } finally {
            for (R2dbcSubject subject : subjects.values()) {
                subject.close().block(Duration.ofSeconds(60));
            }
        }
    }

    private int maxConcurrency() {
        return concurrencies.stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    private static void createTable(EmbeddedPostgres pg) throws Exception {
        try (java.sql.Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bench_item (id integer PRIMARY KEY, name text NOT NULL)");
            s.execute("INSERT INTO bench_item SELECT i, 'item-' || i FROM generate_series(1, " + ROWS + ") AS i");
            s.execute("ANALYZE bench_item");
        }
    }
}
