package dev.reactivepool.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * Runs the whole demo in a short mode: embedded PostgreSQL, upstream service, both runs, table.
 * The figures asserted are counts that hold however fast the machine is, never speeds.
 */
class DemoTest {

    private static final int CONCURRENCY = 8;
    private static final int POOL_SIZE = 4;

    @Test
    void theDemoRunsBothWaysAndPrintsTheTable() throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        DemoOptions options = new DemoOptions(CONCURRENCY, Duration.ofMillis(1500), Duration.ofMillis(300),
                POOL_SIZE, Optional.empty());

        DemoReport report = Demo.run(options, out, new ProgressLine(out, false));

        String output = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(output); // kept in the surefire report
        RunResult baseline = report.baseline();
        RunResult pooled = report.pooled();

        baseline.firstError().ifPresent(Throwable::printStackTrace);
        pooled.firstError().ifPresent(Throwable::printStackTrace);
        // Every request got the right answer, both ways.
        assertThat(report.hasErrors()).as(output).isFalse();
        assertThat(baseline.requests()).isPositive();
        assertThat(pooled.requests()).isPositive();

        // Without pooling, each request opened a database connection and an HTTP connection,
        // and no more than one of each at a time per request in flight.
        assertThat(baseline.databaseOpened()).isGreaterThanOrEqualTo(baseline.requests());
        assertThat(baseline.httpOpened()).isGreaterThanOrEqualTo(baseline.requests());
        assertThat(baseline.databasePeak()).isBetween(1, CONCURRENCY);

        // Through reactive-pool, the pools' limits held: at most POOL_SIZE of each, ever.
        assertThat(pooled.databaseOpened()).isBetween(1L, (long) POOL_SIZE);
        assertThat(pooled.databasePeak()).isBetween(1, POOL_SIZE);
        assertThat(pooled.httpOpened()).isBetween(1L, (long) POOL_SIZE);
        assertThat(pooled.httpPeak()).isBetween(1, POOL_SIZE);
        // The pools' own metrics agree with the counts.
        assertThat(baseline.pools()).isEmpty();
        assertThat(pooled.pools()).containsKey("demo-db").hasSize(2);
        pooled.pools().values().forEach(metrics -> {
            assertThat(metrics.acquired()).isGreaterThanOrEqualTo(pooled.requests());
            assertThat(metrics.created()).isBetween(1L, (long) POOL_SIZE);
        });
        assertThat(pooled.pools().get("demo-db").created()).isEqualTo(pooled.databaseOpened());

        assertThat(output)
                .contains("starting an embedded PostgreSQL")
                .contains("new connection per request")
                .contains("reactive-pool (4 + 4)")
                .contains(report.table())
                .contains("x the requests per second")
                .contains("pool demo-db: ");
        assertThat(report.table())
                .contains("requests/s")
                .contains("latency p50")
                .contains("latency p99")
                .contains("DB connections opened")
                .contains("DB connections in use, most at once")
                .contains("HTTP connections opened")
                .contains("HTTP connections in use, most at once");
    }

    @Test
    void theCommandLineRunsAgainstAnExternalDatabaseAndNeverPrintsItsPassword() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code;
        int port;
        // "External" to the demo: a PostgreSQL the test starts (it trusts local users, so any
        // password is accepted, which lets the test check that the password is never printed).
        try (DemoDatabase external = DemoDatabase.embedded(100)) {
            port = external.port();
            code = Demo.run(new String[] {
                    "--r2dbc-url", "r2dbc:postgresql://postgres:hunter2@127.0.0.1:" + port + "/postgres",
                    "--concurrency=4", "--pool-size=2", "--duration=500ms", "--warmup=0s"},
                    outStream, new PrintStream(err, true, StandardCharsets.UTF_8), new ProgressLine(outStream, false));
        }

        String output = out.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(code).as(output + err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(output)
                .doesNotContain("starting an embedded PostgreSQL")
                .contains("database: external postgresql database postgres on 127.0.0.1:" + port)
                .contains("reactive-pool (2 + 2)")
                .contains("failed requests")
                .doesNotContain("hunter2");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void anUnreachableDatabaseEndsTheDemoWithAnErrorThatHidesThePassword() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort(); // free once closed: nothing listens there
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);

        int code = Demo.run(new String[] {"--r2dbc-url=r2dbc:postgresql://app:hunter2@127.0.0.1:" + port + "/shop"},
                outStream, new PrintStream(err, true, StandardCharsets.UTF_8), new ProgressLine(outStream, false));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("error: the demo failed: ")
                .doesNotContain("hunter2");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("hunter2");
    }
}
