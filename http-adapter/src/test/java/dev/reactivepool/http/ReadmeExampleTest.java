package dev.reactivepool.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.reactivepool.PoolMetrics;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * Runs the README's HTTP adapter example, and checks that the README shows exactly this code, so
 * the documented example provably compiles and works.
 */
class ReadmeExampleTest {

    /** The README example, between the markers, verbatim. */
    static String readmeExample(String baseUrl) {
        // README snippet start
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
        // README snippet end
        return body + " " + metrics.total() + " " + metrics.acquired();
    }

    @Test
    void theReadmeExampleWorks() {
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.get("/hello", (req, res) -> res.sendString(Mono.just("hello"))))
                .bindNow();
        try {
            assertThat(readmeExample("http://127.0.0.1:" + server.port())).isEqualTo("hello 1 1");
        }
        finally {
            server.disposeNow(Duration.ofSeconds(10));
        }
    }

    @Test
    void theReadmeShowsExactlyThisExample() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/reactivepool/http/ReadmeExampleTest.java"),
                StandardCharsets.UTF_8);
        String snippet = source.substring(source.indexOf("// README snippet start") + "// README snippet start".length(),
                source.indexOf("        // README snippet end"));
        String expected = snippet.lines().map(line -> line.length() >= 8 ? line.substring(8) : line.strip())
                .reduce((a, b) -> a + "\n" + b).orElseThrow().strip();
        // The lead merges README-section.md into the repository README; either must show the code.
        Path merged = Path.of("../README.md");
        Path section = Path.of("README-section.md");
        String readme = Files.exists(merged) && Files.readString(merged).contains("ReactivePoolConnectionProvider")
                ? Files.readString(merged, StandardCharsets.UTF_8)
                : Files.readString(section, StandardCharsets.UTF_8);
        assertThat(readme).contains(expected);
    }
}
