package dev.reactivepool.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks the run's figures against the targets of issue 15. Every ratio is reactive-pool's figure
 * divided by the peer's, both from the same run.
 */
public final class Targets {

    static final String OURS = "reactive-pool";
    static final String STORMPOT = "stormpot";
    static final String REACTOR_POOL = "reactor-pool";
    static final String R2DBC_POOL = "r2dbc-pool";
    static final String REACTOR_NETTY = "reactor-netty pool";

    private static final String NOT_MEASURED = "not measured in this run";

    private Targets() {
    }

    /**
     * Evaluates every target.
     *
     * @param results the run
     * @return one line per target, measured or not
     */
    public static List<TargetCheck> check(RunResults results) {
        List<TargetCheck> checks = new ArrayList<>();
        idleHitVersusStormpot(results, 1, 1.0, checks);
        idleHitAllocation(results, checks);
        idleHitVersusStormpot(results, 2, 1.5, checks);
        idleHitVersusReactorPool(results, 2, 10.0, checks);
        oversubscribed(results, checks);
        r2dbc(results, checks);
        http(results, checks);
        burst(results, checks);
        return checks;
    }

    private static void idleHitVersusStormpot(RunResults r, int threads, double factor, List<TargetCheck> checks) {
        String target = String.format(Locale.ROOT, "idle-hit, %s: ≤ %sStormpot 3.2's ns/op (default expiration)",
                threads(threads), factor == 1.0 ? "" : times(factor) + " ");
        Optional<MicroFigure> ours = micro(r, "idle-hit", OURS, threads);
        Optional<MicroFigure> peer = micro(r, "idle-hit", STORMPOT, threads);
        if (ours.isEmpty() || peer.isEmpty()) {
            checks.add(TargetCheck.notMeasured(target, NOT_MEASURED));
            return;
        }
        double ratio = ours.get().nanosPerOp() / peer.get().nanosPerOp();
        checks.add(TargetCheck.of(target, String.format(Locale.ROOT, "%.2fx (%.1f vs %.1f ns/op)",
                ratio, ours.get().nanosPerOp(), peer.get().nanosPerOp()), ratio <= factor));
    }

    private static void idleHitVersusReactorPool(RunResults r, int threads, double factor, List<TargetCheck> checks) {
        String target = String.format(Locale.ROOT, "idle-hit, %s: ≥ %s reactor-pool's throughput", threads(threads),
                times(factor));
        Optional<MicroFigure> ours = micro(r, "idle-hit", OURS, threads);
        Optional<MicroFigure> peer = micro(r, "idle-hit", REACTOR_POOL, threads);
        if (ours.isEmpty() || peer.isEmpty()) {
            checks.add(TargetCheck.notMeasured(target, NOT_MEASURED));
            return;
        }
        double ratio = ours.get().opsPerSec() / peer.get().opsPerSec();
        checks.add(TargetCheck.of(target, String.format(Locale.ROOT, "%.2fx (%,.0f vs %,.0f ops/s)", ratio,
                ours.get().opsPerSec(), peer.get().opsPerSec()), ratio >= factor));
    }

    private static void idleHitAllocation(RunResults r, List<TargetCheck> checks) {
        String target = "idle-hit, 1 thread: ≤ 40 B/op";
        Optional<MicroFigure> ours = micro(r, "idle-hit", OURS, 1).filter(f -> !Double.isNaN(f.bytesPerOp()));
        if (ours.isEmpty()) {
            checks.add(TargetCheck.notMeasured(target, NOT_MEASURED));
            return;
        }
        // JMH's normalised allocation carries a few hundredths of a byte of its own: judge the figure
        // as the report shows it, to 0.1 B
        double shown = Math.round(ours.get().bytesPerOp() * 10) / 10.0;
        checks.add(TargetCheck.of(target, String.format(Locale.ROOT, "%.1f B/op", shown), shown <= 40.0));
    }

    private static void oversubscribed(RunResults r, List<TargetCheck> checks) {
        String target = "oversubscribed (4 objects, 256 independent acquirers), step on one event loop: "
                + "≥ 1.5x reactor-pool's throughput";
        Optional<MicroFigure> ours = micro(r, "oversubscribed-event-loop", OURS, 1);
        Optional<MicroFigure> peer = micro(r, "oversubscribed-event-loop", REACTOR_POOL, 1);
        if (ours.isEmpty() || peer.isEmpty()) {
            checks.add(TargetCheck.notMeasured(target, NOT_MEASURED));
            return;
        }
        double ratio = ours.get().opsPerSec() / peer.get().opsPerSec();
        checks.add(TargetCheck.of(target, String.format(Locale.ROOT, "%.2fx (%,.0f vs %,.0f ops/s)", ratio,
                ours.get().opsPerSec(), peer.get().opsPerSec()), ratio >= 1.5));
    }

    private static void r2dbc(RunResults r, List<TargetCheck> checks) {
        List<EndToEndFigure> peers = r.endToEnd().stream()
                .filter(f -> f.suite().equals("r2dbc") && f.subject().equals(R2DBC_POOL))
                .toList();
        if (peers.isEmpty()) {
            checks.add(TargetCheck.notMeasured("R2DBC, every case: CPU/query ≤ 0.75x r2dbc-pool's, p99 ≤ 0.8x, "
                    + "queries/s ≥ 1.15x", NOT_MEASURED));
            return;
        }
        for (EndToEndFigure peer : peers) {
            String target = String.format(Locale.ROOT, "R2DBC %s at %d: CPU/query ≤ 0.75x r2dbc-pool's, p99 ≤ 0.8x, "
                    + "queries/s ≥ 1.15x", peer.scenario(), peer.concurrency());
            endToEnd(r, peer, target, 0.75, 0.8, 1.15, "queries/s", checks);
        }
    }

    private static void http(RunResults r, List<TargetCheck> checks) {
        String target = "HTTP: CPU/request ≤ 0.95x Reactor Netty pool's, p99 ≤ 1.0x, requests/s ≥ 1.0x";
        Optional<EndToEndFigure> peer = r.endToEnd().stream()
                .filter(f -> f.suite().equals("http") && f.subject().equals(REACTOR_NETTY))
                .findFirst();
        if (peer.isEmpty()) {
            checks.add(TargetCheck.notMeasured(target, NOT_MEASURED));
            return;
        }
        endToEnd(r, peer.get(), target, 0.95, 1.0, 1.0, "requests/s", checks);
    }

    private static void endToEnd(RunResults r, EndToEndFigure peer, String target, double cpuAtMost,
                                 double p99AtMost, double rateAtLeast, String rate, List<TargetCheck> checks) {
        Optional<EndToEndFigure> ours = endToEnd(r, peer, OURS);
        if (ours.isEmpty()) {
            checks.add(TargetCheck.notMeasured(target, NOT_MEASURED));
            return;
        }
        double cpu = ours.get().cpuMicrosPerOp() / peer.cpuMicrosPerOp();
        double p99 = ours.get().p99Micros() / peer.p99Micros();
        double perSecond = ours.get().perSecond() / peer.perSecond();
        checks.add(TargetCheck.of(target, String.format(Locale.ROOT, "CPU/op %.2fx, p99 %.2fx, %s %.2fx", cpu, p99,
                rate, perSecond), cpu <= cpuAtMost && p99 <= p99AtMost && perSecond >= rateAtLeast));
    }

    private static void burst(RunResults r, List<TargetCheck> checks) {
        String target = "HTTP burst (256 then 8 in flight): open connections at the end ≤ maxIdle, "
                + "while Reactor Netty's pool keeps its maximum";
        Optional<BurstFigure> ours = r.burst().stream().filter(f -> f.subject().equals(OURS)).findFirst();
        Optional<BurstFigure> peer = r.burst().stream().filter(f -> f.subject().equals(REACTOR_NETTY)).findFirst();
        if (ours.isEmpty() || peer.isEmpty()) {
            checks.add(TargetCheck.notMeasured(target, NOT_MEASURED));
            return;
        }
        BurstFigure o = ours.get();
        BurstFigure p = peer.get();
        checks.add(TargetCheck.of(target, String.format(Locale.ROOT, "%d open (maxIdle %d) vs %d open (maximum %d)",
                o.openAtEnd(), o.maxIdle(), p.openAtEnd(), p.maxConnections()),
                o.openAtEnd() <= o.maxIdle() && p.openAtEnd() == p.maxConnections()));
    }

    private static String threads(int threads) {
        return threads + (threads == 1 ? " thread" : " threads");
    }

    private static String times(double factor) {
        return (factor == Math.rint(factor) ? String.format(Locale.ROOT, "%.0f", factor)
                : String.format(Locale.ROOT, "%s", factor)) + "x";
    }

    static Optional<MicroFigure> micro(RunResults r, String benchmark, String pool, int threads) {
        return r.micro().stream()
                .filter(f -> f.benchmark().equals(benchmark) && f.pool().equals(pool) && f.threads() == threads)
                .findFirst();
    }

    static Optional<EndToEndFigure> endToEnd(RunResults r, EndToEndFigure like, String subject) {
        return r.endToEnd().stream()
                .filter(f -> f.suite().equals(like.suite()) && f.scenario().equals(like.scenario())
                        && f.concurrency() == like.concurrency() && f.subject().equals(subject))
                .findFirst();
    }
}
