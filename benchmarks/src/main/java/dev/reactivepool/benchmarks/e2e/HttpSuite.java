package dev.reactivepool.benchmarks.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import dev.reactivepool.benchmarks.Profile;
import dev.reactivepool.benchmarks.report.EndToEndFigure;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * End-to-end HTTP/1.1: GET requests to a local Reactor Netty server on loopback, at a fixed
 * concurrency, through reactive-pool's connection provider, Reactor Netty's pooled provider and a
 * new connection per request. The server counts the TCP connections it accepts.
 */
public final class HttpSuite {

    /** Requests in flight in the benchmark. */
    public static final int CONCURRENCY = 256;

    private static final String BODY = "ok";

    private final Profile profile;
    private final int concurrency;

    /**
     * Prepares the suite.
     *
     * @param profile     warmup and measurement windows
     * @param concurrency requests in flight ({@link #CONCURRENCY} in the benchmark)
     */
    public HttpSuite(Profile profile, int concurrency) {
        this.profile = profile;
        this.concurrency = concurrency;
    }


    /**
     * Starts the server, runs every subject, stops the server.
     *
     * @return one figure per subject
     * @throws InterruptedException if interrupted while waiting for a case
     */
    public List<EndToEndFigure> run() throws InterruptedException {
        LongAdder accepted = new LongAdder();
        // The server gets its own event loops so that it does not share the client's.
        LoopResources serverLoops = LoopResources.create("bench-server", 1, 2, true);
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .runOn(serverLoops)
                .doOnChannelInit((observer, channel, address) -> accepted.increment())
                .handle((req, res) -> res.header("content-type", "text/plain").sendString(Mono.just(BODY)))
                .bindNow();
        try {
            // Unmeasured first pass: compiles the client and server code all subjects share, so
            // that the first measured subject does not pay for the JIT.
            for (String name : HttpSubjects.names()) {
                HttpSubject subject = HttpSubjects.create(name);
                System.out.printf("http: JIT warmup, GET, concurrency %d, %s%n", concurrency, name);
                try {
                    load(subject, server).run(profile.endToEndWarmup(), Duration.ZERO);
                } finally {
                    subject.provider().disposeLater().block(Duration.ofSeconds(30));
                }
            }
            return measure(server, accepted);
        } finally {
            server.disposeNow(Duration.ofSeconds(30));
            serverLoops.disposeLater().block(Duration.ofSeconds(30));
        }
    }

    /**
     * Every subject, each with its own fresh provider kept for both rounds; the connections the
     * server accepts during a subject's turns are that subject's.
     */
    private List<EndToEndFigure> measure(DisposableServer server, LongAdder accepted) throws InterruptedException {
        Map<String, HttpSubject> subjects = new LinkedHashMap<>();
        Map<String, Long> opened = new LinkedHashMap<>();
        try {
            for (String name : HttpSubjects.names()) {
                subjects.put(name, HttpSubjects.create(name));
                opened.put(name, 0L);
            }
            Map<String, ClosedLoopLoad.Outcome> outcomes = AlternatingRounds.run(HttpSubjects.names(), profile,
                    (name, warmup, measurement) -> {
                        System.out.printf("http: GET, concurrency %d, %s ...%n", concurrency, name);
                        long before = accepted.sum();
                        ClosedLoopLoad.Outcome outcome = load(subjects.get(name), server).run(warmup, measurement);
                        opened.merge(name, accepted.sum() - before, Long::sum);
                        return outcome;
                    });
            List<EndToEndFigure> figures = new ArrayList<>();
            for (Map.Entry<String, ClosedLoopLoad.Outcome> e : outcomes.entrySet()) {
                EndToEndFigure figure = Figures.of("http", "GET", concurrency, e.getKey(), e.getValue(),
                        opened.get(e.getKey()));
                System.out.println("  " + e.getKey() + ": " + Figures.describe(figure, e.getValue()));
                figures.add(figure);
            }
            return figures;
        } finally {
            for (HttpSubject subject : subjects.values()) {
                subject.provider().disposeLater().block(Duration.ofSeconds(30));
            }
        }
    }

    private ClosedLoopLoad load(HttpSubject subject, DisposableServer server) {
        HttpClient client = HttpClient.create(subject.provider()).baseUrl("http://127.0.0.1:" + server.port());
        return new ClosedLoopLoad(() -> client.get().uri("/")
                .responseSingle((res, body) -> body.asString())
                .map(text -> {
                    if (!BODY.equals(text)) {
                        throw new IllegalStateException("unexpected body: " + text);
                    }
                    return text;
                }), concurrency);
    }
}
