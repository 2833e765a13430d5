package dev.reactivepool.samples;

import java.util.Collection;
import java.util.Iterator;
import java.util.Locale;

import dev.reactivepool.PoolMetrics;

/**
 * Pool metrics as JSON, for the sample service's {@code /metrics} endpoint: an object with one
 * entry per pool, keyed by pool name. Latencies are in milliseconds.
 */
public final class MetricsJson {

    private MetricsJson() {
    }

    /**
     * Writes the metrics of several pools.
     *
     * @param pools the pools' metrics
     * @return a JSON object like {@code {"pools":[{"name":"db","maxSize":10,...}]}}
     */
    public static String write(Collection<PoolMetrics> pools) {
        StringBuilder json = new StringBuilder("{\"pools\":[");
        Iterator<PoolMetrics> it = pools.iterator();
        while (it.hasNext()) {
            write(json, it.next());
            if (it.hasNext()) {
                json.append(',');
            }
        }
        return json.append("]}").toString();
    }

    private static void write(StringBuilder json, PoolMetrics m) {
        json.append("{\"name\":").append(string(m.name()))
                .append(",\"maxSize\":").append(m.maxSize())
                .append(",\"maxIdle\":").append(m.maxIdle())
                .append(",\"idle\":").append(m.idle())
                .append(",\"leased\":").append(m.leased())
                .append(",\"pending\":").append(m.pending())
                .append(",\"creating\":").append(m.creating())
                .append(",\"total\":").append(m.total())
                .append(",\"acquired\":").append(m.acquired())
                .append(",\"created\":").append(m.created())
                .append(",\"destroyed\":").append(m.destroyed())
                .append(",\"evicted\":").append(m.evicted())
                .append(",\"creationFailures\":").append(m.creationFailures())
                .append(",\"validationFailures\":").append(m.validationFailures())
                .append(",\"resetFailures\":").append(m.resetFailures())
                .append(",\"destroyFailures\":").append(m.destroyFailures())
                .append(",\"acquireTimeouts\":").append(m.acquireTimeouts())
                .append(",\"rejections\":").append(m.rejections())
                .append(",\"leaks\":").append(m.leaks())
                .append(",\"acquireLatencyMs\":");
        latency(json, m.acquireLatency());
        json.append(",\"holdTimeMs\":");
        latency(json, m.holdTime());
        json.append('}');
    }

    private static void latency(StringBuilder json, PoolMetrics.LatencySummary s) {
        json.append("{\"count\":").append(s.count())
                .append(",\"mean\":").append(millis(s.meanNanos()))
                .append(",\"p50\":").append(millis(s.p50Nanos()))
                .append(",\"p99\":").append(millis(s.p99Nanos()))
                .append(",\"max\":").append(millis(s.maxNanos()))
                .append('}');
    }

    private static String millis(double nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    private static String string(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
