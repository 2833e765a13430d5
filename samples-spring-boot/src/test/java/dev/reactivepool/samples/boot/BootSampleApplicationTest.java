package dev.reactivepool.samples.boot;

import java.time.Duration;

import dev.reactivepool.http.ReactivePoolConnectionProvider;
import dev.reactivepool.r2dbc.PooledConnectionFactory;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the sample as its command does (on a free port) and calls its endpoint and actuator. */
class BootSampleApplicationTest {

    @Test
    void itemsComeFromThePooledDatabaseAndThePooledWebClient() {
        try (ConfigurableApplicationContext app = BootSampleApplication.start("--server.port=0")) {
            WebClient client = WebClient.create("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"));
            ItemWithStock item = client.get().uri("/items/7").retrieve().bodyToMono(ItemWithStock.class)
                    .block(Duration.ofSeconds(30));
            assertThat(item.id()).isEqualTo(7);
            assertThat(item.name()).isEqualTo("item 7");
            assertThat(item.stock()).isBetween(0, 99);
            assertThat(Flux.range(1, 100).flatMap(id -> client.get().uri("/items/{id}", id).retrieve()
                    .bodyToMono(ItemWithStock.class), 16).count().block(Duration.ofSeconds(60))).isEqualTo(100);

            PooledConnectionFactory pool = (PooledConnectionFactory) app.getBean(ConnectionFactory.class);
            assertThat(pool.metrics().maxSize()).isEqualTo(10);
            assertThat(pool.metrics().maxIdle()).isEqualTo(5);
            assertThat(pool.metrics().total()).isLessThanOrEqualTo(10);
            assertThat(app.getBean(ReactivePoolConnectionProvider.class).metricsPerHost()).hasSize(1);
            assertThat(client.get().uri("/actuator/metrics").retrieve().bodyToMono(String.class).block())
                    .contains("reactivepool.acquired", "reactivepool.leased");
        }
    }
}
