package dev.reactivepool.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.reactivepool.PoolMetrics;
import dev.reactivepool.http.ReactivePoolConnectionProvider;
import dev.reactivepool.r2dbc.PooledConnectionFactory;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcException;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A bounded soak: mixed R2DBC (PostgreSQL) and HTTP load at high concurrency, each through its
 * own fault proxy, with a fault injected every few seconds (cut, black hole, latency, refuse, in
 * turn, on one proxy or both) and cancellations at random moments, plus bad inputs (malformed
 * SQL, a division by zero, use of a connection after close, an unknown HTTP path).
 *
 * <p>Duration: {@code -Dsoak.duration} (ISO-8601), 2 minutes by default. Asserts:
 * <ul>
 *   <li>every operation ended: succeeded, was cancelled by us, or failed with a documented error
 *       (see {@link SoakOutcomes}); no unexpected error;</li>
 *   <li>bad inputs were never accepted: each was rejected with the documented error, unless it was
 *       cancelled or a fault hit its connection first;</li>
 *   <li>sampled throughout: total within {@code maxSize}, idle within {@code maxIdle};</li>
 *   <li>after the load: 0 leased, 0 pending, idle within its cap, no lost object or permit
 *       (live == idle), the servers hold exactly the pools' connections, within {@code maxSize};</li>
 *   <li>after close: created == destroyed, and the servers hold no connection of the pools.</li>
 * </ul>
 * The figures are written to {@code -Dsoak.report} (target/soak-report.md) for RELIABILITY.md.
 */
class SoakTest {

    private static final int PG_MAX_SIZE = 10;
    private static final int PG_MAX_IDLE = 6;
    private static final int HTTP_MAX = 10;
    private static final int HTTP_MAX_IDLE = 6;
    private static final int CONCURRENCY = 200;
    private static final Duration OP_DEADLINE = Duration.ofSeconds(5);
    private static final Duration HEALTHY_PHASE = Duration.ofSeconds(3);
    private static final Duration FAULT_PHASE = Duration.ofSeconds(3);
    private static final String APP = "soak";

    private final SoakOutcomes outcomes = new SoakOutcomes();
    private final Map<Fault, LongAdder> faultsInjected = new EnumMap<>(Fault.class);
    private final AtomicInteger maxPgTotal = new AtomicInteger();
    private final AtomicInteger maxPgIdle = new AtomicInteger();
    private final AtomicInteger maxHttpTotal = new AtomicInteger();
    private final AtomicInteger maxHttpIdle = new AtomicInteger();
    private final AtomicInteger maxPgBackends = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    private PooledConnectionFactory pg;
    private ReactivePoolConnectionProvider provider;
    private HttpClient http;

    @Test
    void mixedLoadUnderFaultsLosesNothing() throws IOException {
        Duration duration = Duration.parse(System.getProperty("soak.duration", "PT2M"));
        EmbeddedPg.warmDriver();
        FaultProxy pgProxy = FaultProxy.start("soak-pg", "127.0.0.1", EmbeddedPg.port());
        CountingHttpServer server = new CountingHttpServer();
        FaultProxy httpProxy = FaultProxy.start("soak-http", "127.0.0.1", server.port());
        pg = PooledConnectionFactory.builder(EmbeddedPg.driver(pgProxy.port(), APP))
                .name("soak-pg")
                .maxSize(PG_MAX_SIZE)
                .maxIdle(PG_MAX_IDLE)
                .acquireTimeout(Duration.ofSeconds(2))
                .createTimeout(Duration.ofSeconds(2))
                .validationTimeout(Duration.ofMillis(500))
                .resetTimeout(Duration.ofMillis(500))
                .destroyTimeout(Duration.ofMillis(500))
                .creationBackoff(Duration.ofMillis(20), Duration.ofMillis(500))
                .idleTimeout(Duration.ofSeconds(5))
                .evictionInterval(Duration.ofMillis(200))
                .build();
        provider = ReactivePoolConnectionProvider.builder("soak-http")
                .maxConnections(HTTP_MAX)
                .maxIdle(HTTP_MAX_IDLE)
                // Like the R2DBC pool, let callers wait (the default, 2 * maxConnections, would
                // turn most of this load into PoolExhaustedException at once).
                .pendingAcquireMaxCount(1000)
                .pendingAcquireTimeout(Duration.ofSeconds(2))
                .maxIdleTime(Duration.ofSeconds(5))
                .evictInBackground(Duration.ofMillis(200))
                .build();
        http = HttpClient.create(provider).host("127.0.0.1").port(httpProxy.port());
        warmUp();

        Instant start = Instant.now();
        Instant end = start.plus(duration);
        AtomicBoolean stop = new AtomicBoolean();
        Disposable sampler = Flux.interval(Duration.ofMillis(50)).subscribe(t -> sample());
        var load = Flux.<Integer>generate(sink -> sink.next(0))
                .takeWhile(x -> !stop.get())
                .flatMap(x -> operation(), CONCURRENCY)
                .then()
                .subscribeOn(Schedulers.parallel())
                .toFuture();

        // The test thread drives the faults: healthy, then a fault, in turn, on one proxy or both.
        Fault[] cycle = {Fault.CUT, Fault.BLACK_HOLE, Fault.LATENCY, Fault.REFUSE};
        pgProxy.latency(Duration.ofMillis(50));
        httpProxy.latency(Duration.ofMillis(50));
        int round = 0;
        while (Instant.now().plus(HEALTHY_PHASE).plus(FAULT_PHASE).isBefore(end)) {
            pause(HEALTHY_PHASE);
            Fault fault = cycle[round % cycle.length];
            int target = (round / cycle.length) % 3; // 0: PostgreSQL, 1: HTTP, 2: both
            if (target != 1) {
                pgProxy.inject(fault);
            }
            if (target != 0) {
                httpProxy.inject(fault);
            }
            faultsInjected.computeIfAbsent(fault, f -> new LongAdder()).add(target == 2 ? 2 : 1);
            maxPgBackends.accumulateAndGet(EmbeddedPg.backends(APP), Math::max);
            pause(FAULT_PHASE);
            pgProxy.inject(Fault.NONE);
            httpProxy.inject(Fault.NONE);
            round++;
        }
        pause(Duration.between(Instant.now(), end).isNegative() ? Duration.ZERO : Duration.between(Instant.now(), end));
        stop.set(true);
        load.join();
        Duration ran = Duration.between(start, Instant.now());
        sampler.dispose();

        // Every operation ended, and only with documented outcomes.
        assertThat(outcomes.ended()).as("operations ended").isEqualTo(outcomes.started.sum());
        assertThat(outcomes.unexpectedErrors.sum()).as("unexpected errors: %s", outcomes.unexpectedSamples).isZero();
        // A bad input accepted would be an unexpected error (IllegalStateException) above; some
        // bad inputs end otherwise (cancelled, or a fault hit their connection first).
        assertThat(outcomes.badInputsRejectedClearly.sum()).as("bad inputs rejected clearly").isPositive();
        assertThat(outcomes.succeeded.sum()).isPositive();

        // Bounds held throughout (sampled every 50 ms).
        assertThat(maxPgTotal.get()).isLessThanOrEqualTo(PG_MAX_SIZE);
        assertThat(maxPgIdle.get()).isLessThanOrEqualTo(PG_MAX_IDLE);
        assertThat(maxHttpTotal.get()).isLessThanOrEqualTo(HTTP_MAX);
        assertThat(maxHttpIdle.get()).isLessThanOrEqualTo(HTTP_MAX_IDLE);

        // Quiescence: nothing leased or waiting, nothing lost, the servers agree.
        AtomicInteger pgBackendsAtRest = new AtomicInteger();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            PoolMetrics p = pg.metrics();
            PoolMetrics h = httpMetrics();
            for (PoolMetrics m : List.of(p, h)) {
                PoolAtRest.assertNothingLost(m);
            }
            assertThat(p.idle()).isLessThanOrEqualTo(PG_MAX_IDLE);
            assertThat(h.idle()).isLessThanOrEqualTo(HTTP_MAX_IDLE);
            int backends = EmbeddedPg.backends(APP);
            assertThat(backends).as("PostgreSQL sessions of the pool").isEqualTo(p.total()).isLessThanOrEqualTo(PG_MAX_SIZE);
            assertThat(server.open.get()).as("HTTP server connections").isEqualTo(h.total()).isLessThanOrEqualTo(HTTP_MAX);
            pgBackendsAtRest.set(backends);
        });
        PoolMetrics pgAtRest = pg.metrics();
        PoolMetrics httpAtRest = httpMetrics();
        int httpServerAtRest = server.open.get();

        // Close: everything made was destroyed, the servers hold nothing of ours.
        pg.close().block(Duration.ofSeconds(20));
        provider.disposeLater().block(Duration.ofSeconds(20));
        PoolMetrics pgClosed = pg.metrics();
        assertThat(pgClosed.created()).as("%s", pgClosed).isEqualTo(pgClosed.destroyed());
        // A disposed provider drops its host pools (and their metrics); every connection it made
        // went through the proxy, so none open at the proxy means every one was closed.
        PoolMetrics httpClosed = provider.metricsPerHost().values().stream().findFirst().orElse(null);
        if (httpClosed != null) {
            assertThat(httpClosed.created()).as("%s", httpClosed).isEqualTo(httpClosed.destroyed());
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(EmbeddedPg.backends(APP)).isZero();
            assertThat(server.open).hasValue(0);
            // Connections that reached the server are all closed. r2dbc-postgresql 1.0.8 does not
            // close the socket of a connection attempt cancelled during its startup handshake
            // (the pool's creation timeout during a black hole); such sockets never reached the
            // server and are reported, not hidden (RELIABILITY.md).
            FaultProxyStats pgStats = pgProxy.stats();
            assertThat(pgStats.open() - pgStats.openNeverRelayed())
                    .as("R2DBC pool connections open at its proxy: %s", pgStats).isZero();
            assertThat(pgStats.upstreamOpen()).as("%s", pgStats).isZero();
            FaultProxyStats httpStats = httpProxy.stats();
            assertThat(httpStats.open()).as("HTTP pool connections open at its proxy: %s", httpStats).isZero();
            assertThat(httpStats.upstreamOpen()).as("%s", httpStats).isZero();
        });

        writeReport(ran, pgAtRest, httpAtRest, pgClosed, httpClosed, pgBackendsAtRest.get(), httpServerAtRest,
                pgProxy.stats(), httpProxy.stats(), server);
        pgProxy.close();
        httpProxy.close();
        server.close();
    }

    private static void pause(Duration d) {
        // The test thread paces the fault schedule; the load runs on Reactor threads meanwhile.
        Mono.delay(d).block();
    }

    private void warmUp() {
        // Loads the driver's and HTTP client's classes outside the measured run.
        Flux.range(0, 20).flatMap(i -> pgSelect(), 5).blockLast(Duration.ofSeconds(60));
        Flux.range(0, 20).flatMap(i -> httpGet("/"), 5).blockLast(Duration.ofSeconds(60));
    }

    private void sample() {
        PoolMetrics p = pg.metrics();
        maxPgTotal.accumulateAndGet(p.total(), Math::max);
        maxPgIdle.accumulateAndGet(p.idle(), Math::max);
        for (PoolMetrics h : provider.metricsPerHost().values()) {
            maxHttpTotal.accumulateAndGet(h.total(), Math::max);
            maxHttpIdle.accumulateAndGet(h.idle(), Math::max);
        }
    }

    private PoolMetrics httpMetrics() {
        List<PoolMetrics> all = new ArrayList<>(provider.metricsPerHost().values());
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    /** One random operation, ended by success, our cancellation, or an error, all counted. */
    private Mono<Void> operation() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int pick = random.nextInt(100);
        String kind;
        Mono<?> work;
        boolean badInput = false;
        if (pick < 30) {
            kind = "r2dbc select";
            work = pgSelect();
        } else if (pick < 38) {
            kind = "r2dbc transaction left open (reset must roll back)";
            work = pgOpenTransaction();
        } else if (pick < 44) {
            kind = "r2dbc slow query (pg_sleep 20 ms)";
            work = pgQuery("SELECT 1 FROM pg_sleep(0.02)");
        } else if (pick < 46) {
            kind = "bad input: malformed SQL";
            badInput = true;
            work = expectError(pgQuery("SELEC 1"), R2dbcBadGrammarException.class);
        } else if (pick < 48) {
            kind = "bad input: division by zero";
            badInput = true;
            work = expectError(pgQuery("SELECT 1/0"), R2dbcException.class);
        } else if (pick < 50) {
            kind = "bad input: connection used after close";
            badInput = true;
            work = expectError(pgUseAfterClose(), R2dbcException.class);
        } else if (pick < 97) {
            kind = "http get";
            work = httpGet("/").map(code -> {
                if (code != 200) {
                    throw new IllegalStateException("HTTP " + code + " for /");
                }
                return code;
            });
        } else {
            kind = "bad input: unknown HTTP path";
            badInput = true;
            work = httpGet("/no-such-path").map(code -> {
                if (code < 400) {
                    throw new IllegalStateException("HTTP " + code + " for a bad path");
                }
                return BAD_INPUT_REJECTED;
            });
        }
        boolean cancel = random.nextInt(100) < 10;
        long cancelAfterMicros = random.nextLong(1, 20_000);
        boolean countBadInput = badInput;
        return Mono.defer(() -> {
            outcomes.kind(kind);
            if (countBadInput) {
                outcomes.badInputsTried.increment();
            }
            peak(inFlight.incrementAndGet());
            long start = System.nanoTime();
            AtomicBoolean ended = new AtomicBoolean();
            Mono<?> timed = work.timeout(OP_DEADLINE);
            if (cancel) {
                // Cancels the operation at a random moment (if it has not ended by then).
                timed = timed.take(Duration.ofNanos(cancelAfterMicros * 1_000), Schedulers.parallel())
                        .switchIfEmpty(Mono.fromRunnable(() -> {
                            if (ended.compareAndSet(false, true)) {
                                outcomes.cancelled.increment();
                            }
                        }));
            }
            return timed
                    .doOnNext(v -> {
                        if (ended.compareAndSet(false, true)) {
                            if (v == BAD_INPUT_REJECTED) {
                                outcomes.badInputsRejectedClearly.increment();
                            }
                            outcomes.success(start);
                        }
                    })
                    .doOnError(e -> {
                        if (ended.compareAndSet(false, true)) {
                            outcomes.error(e);
                        }
                    })
                    .onErrorResume(e -> Mono.empty())
                    .doFinally(s -> {
                        inFlight.decrementAndGet();
                        if (ended.compareAndSet(false, true)) {
                            // Completed empty without being cancelled: count as success.
                            outcomes.success(start);
                        }
                    })
                    .then();
        });
    }

    /** Marks a value that says "the bad input was rejected with the documented error". */
    private static final Object BAD_INPUT_REJECTED = new Object();

    private void peak(int now) {
        maxInFlight.accumulateAndGet(now, Math::max);
    }

    /**
     * Succeeds with {@link #BAD_INPUT_REJECTED} when {@code work} fails with {@code expected};
     * when it fails otherwise (a fault may hit first), that error stands; success is wrong.
     */
    private static Mono<Object> expectError(Mono<?> work, Class<? extends Throwable> expected) {
        return work.<Object>map(v -> {
                    throw new IllegalStateException("bad input accepted: " + v);
                })
                .onErrorResume(expected::isInstance, e -> Mono.just(BAD_INPUT_REJECTED))
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("bad input completed empty")));
    }

    private Mono<Integer> pgSelect() {
        return pgQuery("SELECT 1");
    }

    private Mono<Integer> pgQuery(String sql) {
        return Flux.usingWhen(pg.create(),
                        c -> Flux.from(c.createStatement(sql).execute())
                                .flatMap(r -> r.map((row, md) -> row.get(0, Integer.class))),
                        Connection::close)
                .last();
    }

    private Mono<Integer> pgOpenTransaction() {
        return Flux.usingWhen(pg.create(),
                        c -> Mono.from(c.beginTransaction())
                                .thenMany(Flux.from(c.createStatement("SELECT 1").execute())
                                        .flatMap(r -> r.map((row, md) -> row.get(0, Integer.class)))),
                        Connection::close)
                .last();
    }

    private Mono<Integer> pgUseAfterClose() {
        return Mono.usingWhen(pg.create(),
                c -> Mono.from(c.close()).then(Mono.defer(() ->
                        Flux.from(c.createStatement("SELECT 1").execute()).then(Mono.just(1)))),
                Connection::close);
    }

    private Mono<Integer> httpGet(String path) {
        return http.get().uri(path)
                .responseSingle((res, body) -> body.asString().defaultIfEmpty("").thenReturn(res.status().code()));
    }

    private void writeReport(Duration ran, PoolMetrics pgAtRest, PoolMetrics httpAtRest, PoolMetrics pgClosed,
                             PoolMetrics httpClosed, int pgBackendsAtRest, int httpServerAtRest,
                             FaultProxyStats pgProxy, FaultProxyStats httpProxy, CountingHttpServer server)
            throws IOException {
        long ops = outcomes.started.sum();
        StringBuilder md = new StringBuilder();
        md.append("## Soak run, ").append(Instant.now()).append("\n\n");
        md.append("| figure | value |\n| --- | ---: |\n");
        row(md, "duration (s)", ran.toSeconds());
        row(md, "concurrency (operations in flight, max)", CONCURRENCY);
        row(md, "peak operations in flight", maxInFlight.get());
        row(md, "operations", ops);
        row(md, "throughput (operations/s)", ops / Math.max(1, ran.toSeconds()));
        row(md, "succeeded", outcomes.succeeded.sum());
        row(md, "cancelled at a random moment", outcomes.cancelled.sum());
        row(md, "failed with a documented error", outcomes.documentedErrors.sum());
        row(md, "failed with an unexpected error", outcomes.unexpectedErrors.sum());
        row(md, "operations that never ended", ops - outcomes.ended());
        row(md, "bad inputs tried", outcomes.badInputsTried.sum());
        row(md, "bad inputs rejected with the documented error", outcomes.badInputsRejectedClearly.sum());
        row(md, "bad inputs accepted", 0);
        row(md, "success latency p50 / p99 / max (ms)", String.format("%.1f / %.1f / %.1f",
                outcomes.latencyMicros.getValueAtPercentile(50) / 1000.0,
                outcomes.latencyMicros.getValueAtPercentile(99) / 1000.0,
                outcomes.latencyMicros.getMaxValue() / 1000.0));
        faultsInjected.forEach((f, n) -> row(md, "faults injected: " + f, n.sum()));
        row(md, "connections reset by CUT (PostgreSQL / HTTP proxy)", pgProxy.cut() + " / " + httpProxy.cut());
        row(md, "connections black-holed (PostgreSQL / HTTP proxy)", pgProxy.blackHoled() + " / " + httpProxy.blackHoled());
        row(md, "bytes dropped by black holes", pgProxy.bytesDropped() + httpProxy.bytesDropped());
        row(md, "chunks delayed by latency", pgProxy.chunksDelayed() + httpProxy.chunksDelayed());
        row(md, "connections through the proxies (PostgreSQL / HTTP)", pgProxy.accepted() + " / " + httpProxy.accepted());
        row(md, "driver sockets left open after a cancelled handshake (never reached the server)",
                pgProxy.openNeverRelayed() + " / " + httpProxy.openNeverRelayed());
        poolRows(md, "R2DBC pool", pgAtRest, pgClosed, PG_MAX_SIZE, PG_MAX_IDLE, maxPgTotal.get(), maxPgIdle.get());
        poolRows(md, "HTTP pool", httpAtRest, httpClosed, HTTP_MAX, HTTP_MAX_IDLE, maxHttpTotal.get(), maxHttpIdle.get());
        row(md, "PostgreSQL sessions of the pool at rest / sampled max during faults", pgBackendsAtRest + " / " + maxPgBackends.get());
        row(md, "HTTP server connections at rest / peak seen by the server", httpServerAtRest + " / " + server.peakOpen.get());
        row(md, "objects lost (live - idle - leased at rest, both pools)",
                (pgAtRest.created() - pgAtRest.destroyed() - pgAtRest.idle() - pgAtRest.leased())
                        + (httpAtRest.created() - httpAtRest.destroyed() - httpAtRest.idle() - httpAtRest.leased()));
        md.append("\nOperations by kind:\n\n| kind | count |\n| --- | ---: |\n");
        outcomes.snapshot(outcomes.byKind).forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        md.append("\nErrors by class (all documented):\n\n| error | count |\n| --- | ---: |\n");
        outcomes.snapshot(outcomes.errorsByClass).forEach((k, v) -> md.append("| `").append(k).append("` | ").append(v).append(" |\n"));
        String report = md.toString();
        System.out.println(report);
        Path out = Path.of(System.getProperty("soak.report", "target/soak-report.md"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report, StandardCharsets.UTF_8);
    }

    private static void poolRows(StringBuilder md, String name, PoolMetrics atRest, PoolMetrics closed, int maxSize,
                                 int maxIdle, int sampledTotal, int sampledIdle) {
        row(md, name + ": maxSize / maxIdle", maxSize + " / " + maxIdle);
        row(md, name + ": max total / max idle sampled every 50 ms", sampledTotal + " / " + sampledIdle);
        row(md, name + ": leases handed out", atRest.acquired());
        row(md, name + ": acquire timeouts / rejections", atRest.acquireTimeouts() + " / " + atRest.rejections());
        row(md, name + ": creation / validation / reset / destroy failures", atRest.creationFailures() + " / "
                + atRest.validationFailures() + " / " + atRest.resetFailures() + " / " + atRest.destroyFailures());
        row(md, name + ": at rest leased / pending / idle / total", atRest.leased() + " / " + atRest.pending() + " / "
                + atRest.idle() + " / " + atRest.total());
        row(md, name + ": created / destroyed after close", closed == null
                ? atRest.created() + " created; after dispose 0 connections open at the proxy and the server"
                : closed.created() + " / " + closed.destroyed());
    }

    private static void row(StringBuilder md, String figure, Object value) {
        md.append("| ").append(figure).append(" | ").append(value).append(" |\n");
    }
}
