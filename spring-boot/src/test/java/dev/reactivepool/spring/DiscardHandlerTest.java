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
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The starter's WebFilter installs reactive-pool's discard handler on every request: a connection
 * that an operator discards (here collectList, after a sibling source failed; nothing cancels
 * create(), so only the discard handler can see it) goes back to the pool. Switched off, the same
 * request loses the connection for good.
 */
class DiscardHandlerTest {

    private static ConfigurableApplicationContext start(String app, boolean discardHandler) {
        return new SpringApplicationBuilder(TestApplication.class).properties(
                "server.address=127.0.0.1", "server.port=0",
                "spring.r2dbc.url=" + EmbeddedDatabase.url(app, null),
                "spring.r2dbc.pool.max-size=4",
                // The lost connection of the second case is never returned: do not wait for it at close.
                "reactivepool.r2dbc.close-grace-period=0s",
                "reactivepool.webflux.discard-handler=" + discardHandler).run();
    }

    private static void callDiscarded(ConfigurableApplicationContext app, int times) {
        WebClient client = WebClient.create("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"));
        for (int i = 0; i < times; i++) {
            assertThatThrownBy(() -> client.get().uri("/discarded").retrieve().bodyToMono(String.class)
                    .block(Duration.ofSeconds(30))).isInstanceOf(WebClientResponseException.InternalServerError.class);
        }
    }

    @Test
    void discardedConnectionsComeBackWithTheFilter() {
        try (ConfigurableApplicationContext app = start("boot-discard-on", true)) {
            assertThat(app.getBeansOfType(DroppedLeasesWebFilter.class)).hasSize(1);
            PooledConnectionFactory pool = (PooledConnectionFactory) app.getBean(ConnectionFactory.class);
            callDiscarded(app, 20);
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.metrics().leased() == 0);
            assertThat(pool.metrics().reclaimed()).isGreaterThanOrEqualTo(20);
        }
    }

    @Test
    void withoutTheFilterTheConnectionIsLost() {
        try (ConfigurableApplicationContext app = start("boot-discard-off", false)) {
            assertThat(app.getBeansOfType(DroppedLeasesWebFilter.class)).isEmpty();
            PooledConnectionFactory pool = (PooledConnectionFactory) app.getBean(ConnectionFactory.class);
            callDiscarded(app, 1);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> pool.metrics().leased() == 1);
            assertThat(pool.metrics().reclaimed()).isZero();
        }
    }
}
