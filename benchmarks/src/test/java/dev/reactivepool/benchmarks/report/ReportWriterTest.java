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

    private RunResults results(List<EndToEndFigure> endToEnd) {
        List<MicroFigure> micro = List.of(
                new MicroFigure("idle-hit", "reactive-pool", 1, 20_000_000, 100_000, 40),
                new MicroFigure("idle-hit", "reactor-pool", 1, 2_500_000, 50_000, 224),
                new MicroFigure("idle-hit", "reactive-pool", 2, 9_000_000, 100_000, 40),
                new MicroFigure("idle-hit", "reactor-pool", 2, 2_000_000, 50_000, 224),
                // in JMH's order: by pool, then by step
                new MicroFigure("oversubscribed", "reactive-pool", 1, 1_000_000, 1_000, 100),
                new MicroFigure("oversubscribed-event-loop", "reactive-pool", 1, 750_000, 1_000, 560),
                new MicroFigure("oversubscribed", "reactor-pool", 1, 600_000, 1_000, 400),
                new MicroFigure("oversubscribed-event-loop", "reactor-pool", 1, 300_000, 1_000, 700));
        return new RunResults("quick", "java -jar benchmarks/target/benchmarks.jar --quick",
                Instant.parse("2026-01-02T03:04:05Z"), Duration.ofMinutes(9),
                Map.of("CPU", "test CPU"), "0.1 0.2 0.3", micro, endToEnd,
                List.of("HTTP: reactive-pool's connection provider is PENDING"));
    }

    @Test
    void writesTablesRatiosTargetVerdictsAndPngCharts() throws Exception {
        List<EndToEndFigure> e2e = List.of(
                new EndToEndFigure("r2dbc", "SELECT 1", 64, "reactive-pool", 12_000, 4000, 9000, 12000, 84_000, 0, 10, 20.0),
                new EndToEndFigure("r2dbc", "SELECT 1", 64, "r2dbc-pool", 10_000, 5000, 10000, 15000, 70_000, 0, 10, 25.0),
                new EndToEndFigure("http", "GET", 256, "reactor-netty pool", 30_000, 6000, 20000, 40000, 210_000, 0, 16,
                        Double.NaN));
        Path report = new ReportWriter(out).write(results(e2e));

        String md = Files.readString(report);
        assertThat(md)
                .contains("java -jar benchmarks/target/benchmarks.jar --quick")
                .contains("2026-01-02T03:04:05 UTC")
                .contains("| CPU | test CPU |")
                // 20M / 2.5M = 8x: met; 9M / 2M = 4.5x: met; oversubscribed 1.67x: missed
                .contains("| idle-hit, 1 thread: ≥ 5x reactor-pool's throughput | 8.00x")
                .contains("| idle-hit, 2 threads: ≥ 3x reactor-pool's throughput | 4.50x")
                .contains("1.67x (1,000,000 vs 600,000 ops/s) | **MISSED**")
                // the event-loop variant is checked on its own, against its own reactor-pool figure
                .contains("step on one event loop: ≥ 2x reactor-pool's throughput | 2.50x (750,000 vs 300,000 ops/s) | met")
                .contains("| event-loop | reactor-pool | 300,000 | 1,000 | 700.0 | 0.40x |")
                // rows grouped by step, in the order the steps first appear
                .contains("| parallel | reactive-pool | 1,000,000 | 1,000 | 100.0 | 1.00x |\n"
                        + "| parallel | reactor-pool | 600,000 | 1,000 | 400.0 | 0.60x |\n"
                        + "| event-loop | reactive-pool |")
                // reactor-pool at 1 thread does 0.125x reactive-pool's throughput
                .contains("| reactor-pool | 1 | 2,500,000 | 50,000 | 400.0 | 224.0 | 0.13x |")
                // R2DBC: 1.2x queries/s but p99 0.9x: missed
                .contains("1.20x queries/s, 0.90x p99 | **MISSED**")
                // CPU per query beside the rates: 25 / 20 µs = 1.25x reactive-pool's; unknown shows a dash
                .contains("| SELECT 1 | 64 | r2dbc-pool | 10,000 | 5.00 | 10.00 | 15.00 | 10 | 0 | 25.0 | 0.83x | 1.11x | 1.25x |")
                .contains("| GET | 256 | reactor-netty pool | 30,000 | 6.00 | 20.00 | 40.00 | 16 | 0 | — |")
                .contains("PENDING: the HTTP adapter is not in this build")
                .contains("](docs/benchmarks/idle-hit.png)")
                .contains("](docs/benchmarks/r2dbc-p99.png)")
                .contains("](docs/benchmarks/http-throughput.png)");
        for (String chart : List.of("idle-hit.png", "idle-hit-alloc.png", "oversubscribed.png",
                "r2dbc-throughput.png", "r2dbc-p99.png", "http-throughput.png", "http-p99.png")) {
            Path png = out.resolve(ReportWriter.CHART_DIR).resolve(chart);
            assertThat(png).exists();
            byte[] head = new byte[4];
            System.arraycopy(Files.readAllBytes(png), 0, head, 0, 4);
            assertThat(head).as(chart).isEqualTo(PNG_MAGIC);
        }
    }

    @Test
    void sectionsWithoutFiguresAreLeftOutAndTheirTargetsSaySo() throws Exception {
        String md = Files.readString(new ReportWriter(out).write(results(List.of())));
        assertThat(md)
                .doesNotContain("## End-to-end R2DBC")
                .contains("R2DBC: ≥ 1.2x r2dbc-pool's queries/s with ≤ 0.7x its p99 | — | not measured in this run");
        assertThat(out.resolve(ReportWriter.CHART_DIR).resolve("r2dbc-p99.png")).doesNotExist();
    }
}
