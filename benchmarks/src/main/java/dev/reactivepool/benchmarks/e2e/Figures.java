package dev.reactivepool.benchmarks.e2e;

import dev.reactivepool.benchmarks.report.EndToEndFigure;
import org.HdrHistogram.Histogram;

/**
 * Turns a {@link ClosedLoopLoad.Outcome} into an {@link EndToEndFigure}.
 */
final class Figures {

    private Figures() {
    }

    static EndToEndFigure of(String suite, String scenario, int concurrency, String subject,
                             ClosedLoopLoad.Outcome outcome, long connectionsOpened) {
        Histogram h = outcome.latencies();
        return new EndToEndFigure(suite, scenario, concurrency, subject, outcome.perSecond(),
                micros(h, 50), micros(h, 99), micros(h, 99.9), h.getTotalCount(), outcome.errors(),
                connectionsOpened, outcome.cpuMicrosPerOperation());
    }

    static String describe(EndToEndFigure f, ClosedLoopLoad.Outcome outcome) {
        String line = String.format("%.0f/s, p50 %.0f us, p99 %.0f us, p99.9 %.0f us, %d ops, %d errors, %d connections",
                f.perSecond(), f.p50Micros(), f.p99Micros(), f.p999Micros(), f.operations(), f.errors(),
                f.connectionsOpened());
        line += String.format(", JVM CPU %.1f us/op, %.0f B/op allocated", f.cpuMicrosPerOp(),
                outcome.bytesPerOperation());
        if (outcome.firstError() != null) {
            line += "; first error: " + outcome.firstError();
        }
        return line;
    }

    private static double micros(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }
}
