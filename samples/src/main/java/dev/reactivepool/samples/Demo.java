package dev.reactivepool.samples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

import dev.reactivepool.PoolMetrics;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The README's first command: the same short workload run twice against PostgreSQL and an
 * upstream HTTP service, once opening a new connection per request and once through
 * reactive-pool's R2DBC and HTTP adapters, ending with a side-by-side table.
 *
 * <pre>
 * ./mvnw -q -pl samples -am package -Dmaven.test.skip=true &amp;&amp; java -jar samples/target/reactive-pool-samples.jar
 * </pre>
 *
 * <p>Each request reads an item by id over R2DBC and, at the same time, asks the upstream service
 * for its stock over HTTP; the answer is checked, so a wrong answer counts as a failed request.
 * Database connections are counted where they are really opened (a counting factory around the
 * driver), HTTP connections where they are accepted (the upstream server).
 *
 * <p>Blocking steps (starting PostgreSQL, creating the table, waiting for each run) happen on
 * the main thread; the requests themselves run on Reactor Netty's event loops and never block.
 */
public final class Demo {

    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(10);

    private Demo() {
    }

    /**
     * Runs the demo and exits: 0 on success, 1 if requests failed, 2 on bad flags.
     *
     * @param args the flags; {@code --help} lists them
     */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err, ProgressLine.forConsole());
        // Reactor Netty's and the embedded database's threads must not keep the JVM alive.
        System.exit(code);
    }

    /**
     * Runs the demo from a command line.
     *
     * @param args     the flags
     * @param out      where the progress and the table go
     * @param err      where errors and the usage message go
     * @param progress the progress line
     * @return the exit code: 0 on success, 1 if requests failed or the demo could not run, 2 on bad flags
     */
    public static int run(String[] args, PrintStream out, PrintStream err, ProgressLine progress) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out.println(DemoOptions.usage());
            return 0;
        }
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println();
            err.println(DemoOptions.usage());
            return 2;
        }
        try {
            DemoReport report = run(options, out, progress);
            return report.hasErrors() ? 1 : 0;
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return 1;
        } catch (RuntimeException e) {
            // For example an external database that cannot be reached. Driver messages name the
            // host and user, never the password.
            err.println("error: the demo failed: " + e);
            return 1;
        }
    }

    /**
     * Runs the demo: starts the database (unless external) and the upstream service, runs the
     * workload twice, prints the table and stops everything. Blocks: main thread only.
     *
     * @param options  the flags
     * @param out      where the progress and the table go
     * @param progress the progress line
     * @return both runs' figures
     * @throws InterruptedException if the calling thread is interrupted
     */
    public static DemoReport run(DemoOptions options, PrintStream out, ProgressLine progress)
            throws InterruptedException {
        out.printf(Locale.ROOT, "reactive-pool demo: %d requests in flight, %s warm-up + %s measured per run%n",
                options.concurrency(), DemoOptions.format(options.warmup()), DemoOptions.format(options.duration()));
        long startNanos = System.nanoTime();
        if (options.r2dbcUrl().isEmpty()) {
            out.print("starting an embedded PostgreSQL ... ");
            out.flush();
        }
        // Room for the baseline, which holds one backend per request in flight, and for the pool.
        int maxConnections = Math.max(100, options.concurrency() + options.poolSize() + 20);
        try (DemoDatabase database = options.r2dbcUrl().map(DemoDatabase::external)
                .orElseGet(() -> DemoDatabase.embedded(maxConnections));
             UpstreamServer upstream = UpstreamServer.start()) {
            if (options.r2dbcUrl().isEmpty()) {
                out.printf(Locale.ROOT, "ready in %.1f s%n", (System.nanoTime() - startNanos) / 1e9);
            }
            out.println("database: " + database.description());
            ConnectionCounter databaseConnections = new ConnectionCounter();
            ConnectionFactory driver = new CountingConnectionFactory(database.driver(), databaseConnections);
            DemoSchema.create(driver);
            out.printf(Locale.ROOT, "table %s: %,d items%n", DemoSchema.TABLE, DemoSchema.ITEMS);
            out.println("upstream HTTP service: " + upstream.baseUrl());
            out.println("each request: SELECT an item by id over R2DBC and GET /stock/{id} over HTTP, in parallel");
            out.println();

            DemoClients baselineClients = DemoClients.newConnectionPerRequest(driver);
            RunResult baseline = runOnce(options, baselineClients, upstream, databaseConnections, progress);
            DemoClients pooledClients = DemoClients.reactivePool(driver, options.poolSize(), options.concurrency());
            RunResult pooled = runOnce(options, pooledClients, upstream, databaseConnections, progress);

            DemoReport report = new DemoReport(baseline, pooled);
            out.println();
            out.print(report.table());
            out.println();
            out.println(ResultTable.summary(baseline, pooled));
            baseline.firstErrorDescription().ifPresent(e -> out.println("first failure without pooling: " + e));
            pooled.firstErrorDescription().ifPresent(e -> out.println("first failure with reactive-pool: " + e));
            pooled.pools().values().forEach(metrics -> out.println(describe(metrics)));
            return report;
        }
    }

    private static RunResult runOnce(DemoOptions options, DemoClients clients, UpstreamServer upstream,
                                     ConnectionCounter databaseConnections, ProgressLine progress)
            throws InterruptedException {
        ItemLookup lookup = new ItemLookup(clients.database(), clients.http(), upstream.baseUrl());
        Workload workload = new Workload(id -> lookup.find(id).handle((item, sink) -> {
            if (item.priceCents() == DemoSchema.priceOf(id) && item.inStock() == UpstreamServer.stockOf(id)) {
                sink.next(item);
            } else {
                sink.error(new IllegalStateException("wrong answer for item " + id + ": " + item));
            }
        }), options.concurrency());
        try {
            return workload.run(clients.label(), clients.name(), options.warmup(), options.duration(), databaseConnections,
                    upstream.connections(), progress).withPools(clients.pools().get());
        } finally {
            clients.close().block(Duration.ofSeconds(30));
            settle(databaseConnections, upstream.connections());
        }
    }

    /** One line from a pool's own metrics (its {@code PoolMetrics} snapshot at the end of the run). */
    private static String describe(PoolMetrics m) {
        return String.format(Locale.ROOT, "pool %s: %,d leases of %d connections; wait p50 %,.1f ms, p99 %,.1f ms",
                m.name(), m.acquired(), m.created(), m.acquireLatency().p50Nanos() / 1e6,
                m.acquireLatency().p99Nanos() / 1e6);
    }

    /** Waits (bounded) until the run's connections are closed, so that the next run starts from zero. */
    private static void settle(ConnectionCounter database, ConnectionCounter http) {
        Flux.interval(Duration.ofMillis(20))
                .filter(tick -> database.openNow() == 0 && http.openNow() == 0)
                .next()
                .timeout(SETTLE_TIMEOUT, Mono.just(-1L))
                .block();
    }
}
