package dev.reactivepool.samples;

import java.time.Duration;

import dev.reactivepool.PoolMetrics;
import dev.reactivepool.http.ReactivePoolConnectionProvider;
import reactor.netty.http.client.HttpClient;

/**
 * The HTTP adapter example of the README and docs/http-adapter.md, compiled: a provider with
 * the main per-host settings, an {@code HttpClient} on it, one request, the host's metrics, and
 * disposal. It blocks to keep the example short: call it from a thread that may block, never from
 * an event loop.
 */
public final class HttpAdapterExample {

    private HttpAdapterExample() {
    }

    /**
     * Runs the example.
     *
     * @param baseUrl a server answering {@code GET /hello}, like {@code http://127.0.0.1:8080}
     * @return the body of the answer
     */
    public static String run(String baseUrl) {
        ReactivePoolConnectionProvider provider = ReactivePoolConnectionProvider.builder("backend")
                .maxConnections(50)                            // per host: idle + in use + opening
                .maxIdle(10)                                   // idle cap: extra connections close on return
                .pendingAcquireMaxCount(200)                   // then PoolExhaustedException at once
                .pendingAcquireTimeout(Duration.ofSeconds(5))  // then AcquireTimeoutException
                .maxIdleTime(Duration.ofSeconds(20))           // keep it below the server's keep-alive timeout
                .maxLifeTime(Duration.ofMinutes(10), Duration.ofMinutes(1))
                .build();

        HttpClient client = HttpClient.create(provider).baseUrl(baseUrl);

        String body = client.get().uri("/hello")
                .responseContent().aggregate().asString()
                .block(Duration.ofSeconds(10));

        PoolMetrics metrics = provider.metricsPerHost().values().iterator().next();
        System.out.println(metrics.total() + " connection(s), " + metrics.acquired() + " request(s)");

        provider.disposeLater().block(Duration.ofSeconds(10));
        return body;
    }
}
