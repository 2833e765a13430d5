package dev.reactivepool.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo's side-by-side table of two runs, as plain text.
 */
public final class ResultTable {

    private ResultTable() {
    }

    /**
     * Formats the table.
     *
     * @param baseline the run without pooling
     * @param pooled   the run through reactive-pool
     * @return the table, lines separated by {@code \n}, ending with a line break
     */
    public static String format(RunResult baseline, RunResult pooled) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"", baseline.label(), pooled.label()});
        rows.add(new String[] {"requests/s", count(baseline.requestsPerSecond()), count(pooled.requestsPerSecond())});
        rows.add(new String[] {"latency p50", millis(baseline.p50Millis()), millis(pooled.p50Millis())});
        rows.add(new String[] {"latency p99", millis(baseline.p99Millis()), millis(pooled.p99Millis())});
        rows.add(new String[] {"DB connections opened", count(baseline.databaseOpened()),
                count(pooled.databaseOpened())});
        rows.add(new String[] {"DB connections in use, most at once", count(baseline.databasePeak()),
                count(pooled.databasePeak())});
        rows.add(new String[] {"HTTP connections opened", count(baseline.httpOpened()), count(pooled.httpOpened())});
        rows.add(new String[] {"HTTP connections in use, most at once", count(baseline.httpPeak()),
                count(pooled.httpPeak())});
        rows.add(new String[] {"failed requests", count(baseline.errors()), count(pooled.errors())});

        int[] widths = new int[3];
        for (String[] row : rows) {
            for (int i = 0; i < 3; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder table = new StringBuilder();
        String rule = "-".repeat(widths[0]) + "-+-" + "-".repeat(widths[1]) + "-+-" + "-".repeat(widths[2]) + "\n";
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            table.append(pad(row[0], widths[0], false)).append(" | ")
                    .append(pad(row[1], widths[1], true)).append(" | ")
                    .append(pad(row[2], widths[2], true)).append('\n');
            if (r == 0) {
                table.append(rule);
            }
        }
        return table.toString();
    }

    /**
     * Two lines comparing the runs, like {@code reactive-pool: 12.3x the requests per second, with
     * 10 + 10 connections opened instead of 4,600 + 4,600 (database + HTTP, warm-up included).}
     *
     * @param baseline the run without pooling
     * @param pooled   the run through reactive-pool
     * @return the lines, separated by a line break, without a final one
     */
    public static String summary(RunResult baseline, RunResult pooled) {
        double speedup = baseline.requestsPerSecond() == 0 ? 0 : pooled.requestsPerSecond() / baseline.requestsPerSecond();
        return String.format(Locale.ROOT,
                "reactive-pool: %.1fx the requests per second, with %,d + %,d connections opened%n"
                        + "instead of %,d + %,d (database + HTTP, warm-up included).",
                speedup, pooled.databaseOpened(), pooled.httpOpened(), baseline.databaseOpened(),
                baseline.httpOpened());
    }

    private static String count(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String millis(double value) {
        return String.format(Locale.ROOT, "%.2f ms", value);
    }

    private static String pad(String s, int width, boolean right) {
        String spaces = " ".repeat(width - s.length());
        return right ? spaces + s : s + spaces;
    }
}
