package dev.reactivepool.spring;

import java.time.Duration;

import dev.reactivepool.r2dbc.PooledConnectionFactory;
import dev.reactivepool.spring.app.TestApplication;
import dev.reactivepool.spring.support.EmbeddedDatabase;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code spring.r2dbc.pool.initial-size} opens connections at startup, and closing the context
 * ends every PostgreSQL session of the application (seen in {@code pg_stat_activity}).
 */
class ContextCloseTest {

    private static final String APP = "boot-close-test";

    @Test
    void initialSizeWarmsUpAndContextCloseEndsEverySession() {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(TestApplication.class).properties(
                "server.address=127.0.0.1", "server.port=0",
                "spring.r2dbc.url=" + EmbeddedDatabase.url(APP, null),
                "spring.r2dbc.pool.max-size=6", "spring.r2dbc.pool.initial-size=4",
                "spring.sql.init.mode=always").run();
        PooledConnectionFactory pool = (PooledConnectionFactory) app.getBean(ConnectionFactory.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> EmbeddedDatabase.sessions(APP) == 4);
        assertThat(pool.metrics().idle()).isEqualTo(4);

        WebClient client = WebClient.create("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"));
        Flux.range(0, 60).flatMap(i -> client.get().uri("/slow?millis=20").retrieve().bodyToMono(String.class), 12)
                .blockLast(Duration.ofMinutes(1));
        int before = EmbeddedDatabase.sessions(APP);
        assertThat(before).isBetween(4, 6);

        app.close();
        int right = EmbeddedDatabase.sessions(APP);
        // A backend leaves pg_stat_activity when its process has exited, a moment after the client's
        // Terminate message; the pool's close completed before app.close() returned.
        await().atMost(Duration.ofSeconds(10)).until(() -> EmbeddedDatabase.sessions(APP) == 0);
        System.out.printf("[figures] context close: %d sessions before close, %d right after close() returned, 0 "
                + "afterwards; pool closed=%s%n", before, right, pool.isClosed());
        assertThat(pool.isClosed()).isTrue();
        assertThat(pool.metrics().total()).isZero();
    }
}
