package dev.reactivepool.benchmarks.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.reactivepool.benchmarks.report.BurstFigure;
import reactor.core.publisher.Mono;

/**
 * The HTTP burst scenario: {@value #HIGH} requests in flight for a while, then {@value #LOW} for
 * twice as long, through each pool with a fresh provider; then the connections the server still
 * sees open once the last request has finished. With a fixed maximum and constant load every pool
 * keeps its maximum open; after a burst, an idle cap ({@code maxIdle}) is what lets a pool give
 * connections back to the server.
 */
public final class HttpBurst {

    /** Requests in flight during the burst. */
    public static final int HIGH = 256;
    /** Requests in flight after it. */
    public static final int LOW = 8;

    /** How long the server's open count must stay unchanged to count as settled. */
    private static final Duration SETTLED = Duration.ofMillis(500);
    private static final Duration SETTLE_AT_MOST = Duration.ofSeconds(5);

    private final Duration high;
    private final Duration low;

    /**
     * Prepares the scenario.
     *
     * @param high how long the burst lasts (5 s in the quick profile)
     * @param low  how long the quiet phase lasts (10 s in the quick profile)
     */
    public HttpBurst(Duration high, Duration low) {
        this.high = high;
        this.low = low;
    }

    /**
     * Starts the server, runs every subject in turn, stops the server.
     *
     * @return one figure per subject
     * @throws InterruptedException if interrupted while waiting
     */
    public List<BurstFigure> run() throws InterruptedException {
        List<BurstFigure> figures = new ArrayList<>();
        try (LoopbackHttpServer server = new LoopbackHttpServer()) {
            for (String name : HttpSubjects.burstNames()) {
                figures.add(runOne(name, server));
            }
        }
        return figures;
    }

    private BurstFigure runOne(String name, LoopbackHttpServer server) throws InterruptedException {
        HttpSubject subject = HttpSubjects.createForBurst(name);
        try {
            awaitSettled(server); // the previous subject's connections are closed
            long acceptedBefore = server.accepted();
            int openBefore = server.open();
            server.resetPeak();
            Mono<String> get = server.get(subject.provider());
            System.out.printf("http burst: %s, %d in flight for %s, then %d for %s ...%n", name, HIGH, high, LOW, low);
            ClosedLoopLoad.Outcome burst = new ClosedLoopLoad(() -> get, HIGH).run(Duration.ZERO, high);
            ClosedLoopLoad.Outcome quiet = new ClosedLoopLoad(() -> get, LOW).run(Duration.ZERO, low);
            int openAtEnd = awaitSettled(server) - openBefore;
            BurstFigure f = new BurstFigure(name, HttpSubjects.MAX_CONNECTIONS, HttpSubjects.burstMaxIdle(name),
                    HIGH, LOW, high, low, burst.latencies().getTotalCount() + quiet.latencies().getTotalCount(),
                    burst.errors() + quiet.errors(), server.peakOpen() - openBefore, openAtEnd,
                    server.accepted() - acceptedBefore);
            System.out.printf("  %s: %d requests, %d errors, peak %d open, %d open at the end, %d accepted%n",
                    name, f.requests(), f.errors(), f.peakOpen(), f.openAtEnd(), f.opened());
            return f;
        } finally {
            subject.provider().disposeLater().block(Duration.ofSeconds(30));
        }
    }

    /**
     * Waits until the server's count of open connections has not changed for {@link #SETTLED}
     * (closes travel through the network stack), at most {@link #SETTLE_AT_MOST}.
     */
    private static int awaitSettled(LoopbackHttpServer server) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_AT_MOST.toNanos();
        int last = server.open();
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(50);
            int now = server.open();
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince >= SETTLED.toNanos()) {
                break;
            }
        }
        return last;
    }
}
