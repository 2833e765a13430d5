package dev.reactivepool.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks the run's figures against the targets of issue 5. Every ratio compares figures from the
 * same run.
 */
public final class Targets {

    static final String OURS = "reactive-pool";

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
        idleHitThroughput(results, 1, 5.0, checks);
        idleHitThroughput(results, 2, 3.0, checks);
        idleHitAllocation(results, checks);
        oversubscribed(results, checks);
        r2dbc(results, checks);
        http(results, checks);
        return checks;
    }

    private static void idleHitThroughput(RunResults r, int threads, double factor, List<TargetCheck> checks) {
        String target = String.format("idle-hit, %d thread%s: ≥ %.0fx reactor-pool's throughput", threads,
                threads == 1 ? "" : "s", factor);
        Optional<MicroFigure> ours = micro(r, "idle-hit", OURS, threads);
        Optional<MicroFigure> peer = micro(r, "idle-hit", "reactor-pool", threads);
        if (ours.isEmpty() || peer.isEmpty()) {
            checks.add(TargetCheck.notMeasured(target, "not measured in this run"));
            return;
        }
        double ratio = ours.get().opsPerSec() / peer.get().opsPerSec();
        checks.add(TargetCheck.of(target, String.format("%.2fx (%.1f vs %.1f ns/op)", ratio,
                ours.get().nanosPerOp(), peer.get().nanosPerOp()), ratio >= factor));
    }

    private static void idleHitAllocation(RunResults r, List<TargetCheck> checks) {
        String target = "idle-hit: ≤ 48 B/op";
        List<MicroFigure> ours = r.micro().stream()
                .filter(f -> f.benchmark().equals("idle-hit") && f.pool().equals(OURS)
                        && !Double.isNaN(f.bytesPerOp()))
                .toList();
        if (ours.isEmpty()) {
            checks.add(TargetCheck.notMeasured(target, "not measured in this run"));
            return;
        }
        double worst = ours.stream().mapToDouble(MicroFigure::bytesPerOp).max().orElseThrow();
        StringBuilder measured = new StringBuilder();
        for (MicroFigure f : ours) {
            measured.append(measured.length() == 0 ? "" : ", ")
                    .append(String.format("%.1f B/op at %d thread%s", f.bytesPerOp(), f.threads(),
                            f.threads() == 1 ? "" : "s"));
        }
        checks.add(TargetCheck.of(target, measured.toString(), worst <= 48.0));
    }

    private static void oversubscribed(RunResults r, List<TargetCheck> checks) {
        oversubscribed(r, "oversubscribed", "oversubscribed (4 objects, 256 acquirers, step on `parallel`): "
                + "≥ 2x reactor-pool's throughput", checks);
        if (r.micro().stream().anyMatch(f -> f.benchmark().equals("oversubscribed-event-loop"))) {
            oversubscribed(r, "oversubscribed-event-loop", "the same, step on one event loop: "
                    + "≥ 2x reactor-pool's throughput", checks);
        }
    }

    private static void oversubscribed(RunResults r, String benchmark, String target, List<TargetCheck> checks) {
        Optional<MicroFigure> ours = micro(r, benchmark, OURS, 1);
        Optional<MicroFigure> peer = micro(r, benchmark, "reactor-pool", 1);
        if (ours.isEmpty() || peer.isEmpty()) {
            checks.add(TargetCheck.notMeasured(target, "not measured in this run"));
            return;
        }
        double ratio = ours.get().opsPerSec() / peer.get().opsPerSec();
        checks.add(TargetCheck.of(target, String.format("%.2fx (%,.0f vs %,.0f ops/s)", ratio,
                ours.get().opsPerSec(), peer.get().opsPerSec()), ratio >= 2.0));
    }

    private static void r2dbc(RunResults r, List<TargetCheck> checks) {
        List<EndToEndFigure> peers = r.endToEnd().stream()
                .filter(f -> f.suite().equals("r2dbc") && f.subject().equals("r2dbc-pool"))
                .toList();
        if (peers.isEmpty()) {
            checks.add(TargetCheck.notMeasured("R2DBC: ≥ 1.2x r2dbc-pool's queries/s with ≤ 0.7x its p99",
                    "not measured in this run"));
            return;
        }
        for (EndToEndFigure peer : peers) {
            String target = String.format("R2DBC %s at %d: ≥ 1.2x r2dbc-pool's queries/s, ≤ 0.7x its p99",
                    peer.scenario(), peer.concurrency());
            Optional<EndToEndFigure> ours = endToEnd(r, peer, OURS);
            if (ours.isEmpty()) {
                checks.add(TargetCheck.notMeasured(target, "PENDING: the R2DBC adapter is not in this build"));
                continue;
            }
            double qps = ours.get().perSecond() / peer.perSecond();
            double p99 = ours.get().p99Micros() / peer.p99Micros();
            checks.add(TargetCheck.of(target, String.format("%.2fx queries/s, %.2fx p99", qps, p99),
                    qps >= 1.2 && p99 <= 0.7));
        }
    }

    private static void http(RunResults r, List<TargetCheck> checks) {
        String target = "HTTP: ≥ 1.0x Reactor Netty pool's requests/s, fewer connections opened";
        Optional<EndToEndFigure> peer = r.endToEnd().stream()
                .filter(f -> f.suite().equals("http") && f.subject().equals("reactor-netty pool"))
                .findFirst();
        if (peer.isEmpty()) {
            checks.add(TargetCheck.notMeasured(target, "not measured in this run"));
            return;
        }
        Optional<EndToEndFigure> ours = endToEnd(r, peer.get(), OURS);
        if (ours.isEmpty()) {
            checks.add(TargetCheck.notMeasured(target, "PENDING: the HTTP adapter is not in this build"));
            return;
        }
        double rps = ours.get().perSecond() / peer.get().perSecond();
        long oursOpened = ours.get().connectionsOpened();
        long peerOpened = peer.get().connectionsOpened();
        checks.add(TargetCheck.of(target, String.format("%.2fx requests/s; %d vs %d connections opened", rps,
                oursOpened, peerOpened), rps >= 1.0 && oursOpened < peerOpened));
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
