package dev.reactivepool.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir
    Path out;

    private RunResults results(List<EndToEndFigure> endToEnd, List<BurstFigure> burst) {
        List<MicroFigure> micro = List.of(
                // 1 thread: 1e9/25M = 40 ns vs Stormpot's 1e9/20M = 50 ns: met; 2 threads: 2e9/10M = 200 ns vs
                // 2e9/40M = 50 ns: 4x, missed; 10M / 0.8M = 12.5x reactor-pool: met
                // 40.02 B/op: JMH's own few hundredths of a byte; shown and judged as 40.0
                new MicroFigure("idle-hit", "reactive-pool", 1, 25_000_000, 100_000, 40.02),
                new MicroFigure("idle-hit", "stormpot", 1, 20_000_000, 100_000, 0),
                new MicroFigure("idle-hit", "reactor-pool", 1, 2_500_000, 50_000, 224),
                new MicroFigure("idle-hit", "reactive-pool", 2, 10_000_000, 100_000, 40),
                new MicroFigure("idle-hit", "stormpot", 2, 40_000_000, 100_000, 0),
                new MicroFigure("idle-hit", "reactor-pool", 2, 800_000, 50_000, 224),
                // in JMH's order: by pool, then by step
                new MicroFigure("oversubscribed-event-loop", "reactive-pool", 1, 3_000_000, 1_000, 48)
                        .withCpuShares(new CpuShares(1000, 0.12, 0.30, 0.40, 0.08, 0.10)),
                new MicroFigure("oversubscribed-parallel", "reactive-pool", 1, 500_000, 1_000, 60),
                new MicroFigure("oversubscribed-event-loop", "reactor-pool", 1, 1_000_000, 1_000, 300)
                        .withCpuShares(new CpuShares(1000, 0.45, 0.20, 0.25, 0.05, 0.05)),
                new MicroFigure("oversubscribed-parallel", "reactor-pool", 1, 400_000, 1_000, 350));
        return new RunResults("quick", "java -jar benchmarks/target/benchmarks.jar --quick",
                Instant.parse("2026-01-02T03:04:05Z"), Duration.ofMinutes(9),
                Map.of("CPU", "test CPU"), "0.1 0.2 0.3", micro, endToEnd, burst,
                List.of("HTTP end-to-end: not selected (`--only`)."));
    }

    @Test
    void writesTablesRatiosTargetVerdictsAndPngCharts() throws Exception {
        List<EndToEndFigure> e2e = List.of(
                new EndToEndFigure("r2dbc", "SELECT 1", 64, "reactive-pool", 12_000, 4000, 8000, 12000, 84_000, 0, 10, 15.0),
                new EndToEndFigure("r2dbc", "SELECT 1", 64, "r2dbc-pool", 10_000, 5000, 10000, 15000, 70_000, 0, 10, 25.0),
                new EndToEndFigure("r2dbc", "SELECT 1", 64, "new connection per query", 300, 200_000, 400_000,
                        450_000, 2_000, 0, 2_000, 1700.0),
                new EndToEndFigure("http", "GET", 256, "reactive-pool", 30_000, 6000, 21000, 40000, 210_000, 0, 16, 30.0),
                new EndToEndFigure("http", "GET", 256, "reactor-netty pool", 30_000, 6000, 20000, 40000, 210_000, 0, 16,
                        32.0));
        List<BurstFigure> burst = List.of(
                new BurstFigure("reactive-pool", 16, 8, 256, 8, Duration.ofSeconds(5), Duration.ofSeconds(10),
                        100_000, 0, 16, 8, 16),
                new BurstFigure("reactor-netty pool", 16, -1, 256, 8, Duration.ofSeconds(5), Duration.ofSeconds(10),
                        100_000, 0, 16, 16, 16));
        Path report = new ReportWriter(out).write(results(e2e, burst));

        String md = Files.readString(report);
        assertThat(md)
                .contains("java -jar benchmarks/target/benchmarks.jar --quick")
                .contains("2026-01-02T03:04:05 UTC")
                .contains("| CPU | test CPU |")
                .contains("| idle-hit, 1 thread: ≤ Stormpot 3.2's ns/op (default expiration) | 0.80x (40.0 vs 50.0 ns/op) | met |")
                .contains("| idle-hit, 1 thread: ≤ 40 B/op | 40.0 B/op | met |")
                .contains("| idle-hit, 2 threads: ≤ 1.5x Stormpot 3.2's ns/op (default expiration) | 4.00x (200.0 vs 50.0 ns/op) | **MISSED** |")
                .contains("| idle-hit, 2 threads: ≥ 10x reactor-pool's throughput | 12.50x (10,000,000 vs 800,000 ops/s) | met |")
                .contains("step on one event loop: ≥ 1.5x reactor-pool's throughput | 3.00x (3,000,000 vs 1,000,000 ops/s) | met |")
                // rows grouped by step, in the order the steps first appear, with the CPU shares
                .contains("| event-loop | reactive-pool | 3,000,000 | 1,000 | 48.0 | 1.00x | 1,000 | 12% | 30% | 40% | 8% | 10% |\n"
                        + "| event-loop | reactor-pool | 1,000,000 | 1,000 | 300.0 | 0.33x | 1,000 | 45% |")
                .contains("| parallel | reactor-pool | 400,000 | 1,000 | 350.0 | 0.80x | — | — |")
                // R2DBC: CPU 15/25 = 0.60x, p99 0.80x, 1.20x queries/s: all three met
                .contains("| R2DBC SELECT 1 at 64: CPU/query ≤ 0.75x r2dbc-pool's, p99 ≤ 0.8x, queries/s ≥ 1.15x "
                        + "| CPU/op 0.60x, p99 0.80x, queries/s 1.20x | met |")
                // HTTP: CPU 30/32 = 0.94x, but p99 1.05x: missed
                .contains("| CPU/op 0.94x, p99 1.05x, requests/s 1.00x | **MISSED** |")
                .contains("| 8 open (maxIdle 8) vs 16 open (maximum 16) | met |")
                // CPU per query first in the table
                .contains("| SELECT 1 | 64 | r2dbc-pool | 25.0 | 1.67x | 10,000 | 0.83x | 5.00 | 10.00 | 15.00 | 1.25x | 10 | 0 |")
                .contains("| reactor-netty pool | 16 | none | 100,000 | 0 | 16 | 16 | 16 |")
                .contains("runs with `maxIdle(8)`")
                .contains("`validationDepth(LOCAL)`")
                .contains("](docs/benchmarks/idle-hit.png)")
                .contains("](docs/benchmarks/r2dbc-baseline.png)")
                .contains("](docs/benchmarks/http-burst.png)");
        for (String chart : List.of("idle-hit.png", "idle-hit-alloc.png", "oversubscribed.png", "r2dbc-cpu.png",
                "r2dbc-throughput.png", "r2dbc-p99.png", "r2dbc-baseline.png", "http-cpu.png", "http-throughput.png",
                "http-p99.png", "http-baseline.png", "http-burst.png")) {
            Path png = out.resolve(ReportWriter.CHART_DIR).resolve(chart);
            assertThat(png).exists();
            byte[] head = new byte[4];
            System.arraycopy(Files.readAllBytes(png), 0, head, 0, 4);
            assertThat(head).as(chart).isEqualTo(PNG_MAGIC);
        }
    }

    @Test
    void sectionsWithoutFiguresAreLeftOutAndTheirTargetsSaySo() throws Exception {
        String md = Files.readString(new ReportWriter(out).write(results(List.of(), List.of())));
        assertThat(md)
                .doesNotContain("## End-to-end R2DBC")
                .doesNotContain("## HTTP burst")
                .contains("R2DBC, every case: CPU/query ≤ 0.75x r2dbc-pool's, p99 ≤ 0.8x, queries/s ≥ 1.15x | — "
                        + "| not measured in this run")
                .contains("while Reactor Netty's pool keeps its maximum | — | not measured in this run");
        assertThat(out.resolve(ReportWriter.CHART_DIR).resolve("r2dbc-p99.png")).doesNotExist();
    }

    @Test
    void theBurstTargetIsMissedWhenReactivePoolKeepsMoreThanItsIdleCap() throws Exception {
        List<BurstFigure> burst = List.of(
                new BurstFigure("reactive-pool", 16, 8, 256, 8, Duration.ofSeconds(5), Duration.ofSeconds(10),
                        100_000, 0, 16, 9, 16),
                new BurstFigure("reactor-netty pool", 16, -1, 256, 8, Duration.ofSeconds(5), Duration.ofSeconds(10),
                        100_000, 0, 16, 16, 16));
        String md = Files.readString(new ReportWriter(out).write(results(List.of(), burst)));
        assertThat(md).contains("| 9 open (maxIdle 8) vs 16 open (maximum 16) | **MISSED** |");
    }
}
