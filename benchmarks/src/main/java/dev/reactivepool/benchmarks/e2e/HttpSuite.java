package dev.reactivepool.benchmarks.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.reactivepool.benchmarks.Profile;
import dev.reactivepool.benchmarks.report.EndToEndFigure;
import reactor.core.publisher.Mono;

/**
 * End-to-end HTTP/1.1: GET requests to a local Reactor Netty server on loopback, at a fixed
 * concurrency, through reactive-pool's connection provider, Reactor Netty's pooled provider and a
 * new connection per request. The server counts the TCP connections it accepts.
 */
public final class HttpSuite {

    /** Requests in flight in the benchmark. */
    public static final int CONCURRENCY = 256;

    /**
     * The system property that sets another number of requests in flight, for example 8 on the
     * 16 connections, where idle connections are common (the default 256 keeps every connection
     * busy, so every acquire waits for a release).
     */
    public static final String CONCURRENCY_PROPERTY = "bench.http.concurrency";

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
     * @return the requests in flight: {@value #CONCURRENCY_PROPERTY} if set, else {@link #CONCURRENCY}
     */
    public static int configuredConcurrency() {
        int concurrency = Integer.getInteger(CONCURRENCY_PROPERTY, CONCURRENCY);
        if (concurrency < 1) {
            throw new IllegalArgumentException("-D" + CONCURRENCY_PROPERTY + " must be at least 1, was " + concurrency);
        }
        return concurrency;
    }

    /**
     * Starts the server, runs every subject, stops the server.
     *
     * @return one figure per subject
     * @throws InterruptedException if interrupted while waiting for a case
     */
    public List<EndToEndFigure> run() throws InterruptedException {
        try (LoopbackHttpServer server = new LoopbackHttpServer()) {
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
            return measure(server);
        }
    }

    /**
     * Every subject, each with its own fresh provider kept for both rounds; the connections the
     * server accepts during a subject's turns are that subject's.
     */
    private List<EndToEndFigure> measure(LoopbackHttpServer server) throws InterruptedException {
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
                        long before = server.accepted();
                        ClosedLoopLoad.Outcome outcome = load(subjects.get(name), server).run(warmup, measurement);
                        opened.merge(name, server.accepted() - before, Long::sum);
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

    private ClosedLoopLoad load(HttpSubject subject, LoopbackHttpServer server) {
        Mono<String> get = server.get(subject.provider());
        return new ClosedLoopLoad(() -> get, concurrency);
    }
}
