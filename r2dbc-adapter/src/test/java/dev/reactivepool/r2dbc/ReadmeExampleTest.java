package dev.reactivepool.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ValidationDepth;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs the README's R2DBC snippets (code form and URL form) on the embedded PostgreSQL, and
 * checks that the README still shows exactly these snippets.
 */
final class ReadmeExampleTest {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    /**
     * Opens and closes one unpooled connection first: in a cold JVM on a busy machine the first
     * connection (loading Netty and the driver) can take longer than the snippets' 5 s timeout.
     */
    @BeforeAll
    static void warmTheDriver() {
        ConnectionFactory driver = PgSupport.driver(PG.port(), "readme-warmup");
        Mono.usingWhen(Mono.from(driver.create()), c -> Mono.from(c.validate(ValidationDepth.REMOTE)), Connection::close)
                .block(Duration.ofSeconds(60));
    }

    @Test
    void codeForm() throws IOException {
        int port = PG.port();
        // README:code:start
        ConnectionFactory postgres = ConnectionFactories.get("r2dbc:postgresql://postgres@127.0.0.1:" + port + "/postgres");
        PooledConnectionFactory pool = PooledConnectionFactory.builder(postgres)
                .maxSize(20)
                .maxIdle(10)
                .acquireTimeout(Duration.ofSeconds(5))
                .resetQuery("DISCARD ALL")
                .build();

        Flux<String> databases = Flux.usingWhen(pool.create(),
                connection -> Flux.from(connection.createStatement("SELECT datname FROM pg_database").execute())
                        .flatMap(result -> result.map((row, metadata) -> row.get("datname", String.class))),
                Connection::close);
        // README:code:end

        List<String> names = databases.collectList().block(Duration.ofSeconds(20));
        assertThat(names).contains("postgres", "template1");
        assertThat(pool.metrics().leased()).isZero();
        assertThat(pool.metrics().idle()).isEqualTo(1);
        Mono.from(pool.close()).block(Duration.ofSeconds(10));
        assertReadmeShows("code");
    }

    @Test
    void urlForm() throws IOException {
        int port = PG.port();
        // README:url:start
        ConnectionFactory pool = ConnectionFactories.get("r2dbc:reactivepool:postgresql://postgres@127.0.0.1:" + port
                + "/postgres?maxSize=20&maxIdle=10&acquireTimeout=PT5S&resetQuery=DISCARD%20ALL");

        Mono<Integer> one = Mono.usingWhen(pool.create(),
                connection -> Mono.from(connection.createStatement("SELECT 1").execute())
                        .flatMap(result -> Mono.from(result.map((row, metadata) -> row.get(0, Integer.class)))),
                Connection::close);
        // README:url:end

        assertThat(one.block(Duration.ofSeconds(20))).isEqualTo(1);
        assertThat(pool).isInstanceOf(PooledConnectionFactory.class);
        assertThat(((PooledConnectionFactory) pool).metrics().maxSize()).isEqualTo(20);
        // The URL-encoded reset query ran without error: the connection was kept, not destroyed.
        assertThat(((PooledConnectionFactory) pool).metrics().resetFailures()).isZero();
        assertThat(((PooledConnectionFactory) pool).metrics().idle()).isEqualTo(1);
        Mono.from(((PooledConnectionFactory) pool).close()).block(Duration.ofSeconds(10));
        assertReadmeShows("url");
    }

    /** The snippet between the markers of this file must appear, as is, in the README (section). */
    private static void assertReadmeShows(String marker) throws IOException {
        Path source = Path.of("src/test/java/dev/reactivepool/r2dbc/ReadmeExampleTest.java");
        List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
        int start = -1;
        int end = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().equals("// README:" + marker + ":start")) {
                start = i + 1;
            } else if (lines.get(i).trim().equals("// README:" + marker + ":end")) {
                end = i;
            }
        }
        assertThat(start).isPositive();
        assertThat(end).isGreaterThan(start);
        int indent = lines.get(start).indexOf(lines.get(start).trim());
        StringBuilder snippet = new StringBuilder();
        for (String line : lines.subList(start, end)) {
            snippet.append(line.length() >= indent ? line.substring(indent) : line.trim()).append('\n');
        }
        String readme = "";
        for (Path candidate : List.of(Path.of("README-section.md"), Path.of("../README.md"))) {
            if (Files.exists(candidate)) {
                readme += Files.readString(candidate, StandardCharsets.UTF_8);
            }
        }
        assertThat(readme).as("README shows the %s snippet", marker).contains(snippet.toString());
    }
}
