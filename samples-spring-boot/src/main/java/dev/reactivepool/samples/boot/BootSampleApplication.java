package dev.reactivepool.samples.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Spring Boot application (WebFlux, Spring Data R2DBC, actuator) whose R2DBC pool and WebClient
 * connection pool are reactive-pool's, through the starter and application.properties alone.
 * {@link #main} first starts what a real deployment would already have: a PostgreSQL (embedded,
 * on 127.0.0.1) and the remote stock service; both stop with the application.
 */
@SpringBootApplication
public class BootSampleApplication {

    /**
     * Starts the database, the stock service and the application.
     *
     * @param args Spring Boot's arguments, for example {@code --server.port=9090}
     */
    public static void main(String[] args) {
        start(args);
    }

    /**
     * @param args Spring Boot's arguments
     * @return the running application; closing it stops the database and the stock service
     */
    public static ConfigurableApplicationContext start(String... args) {
        EmbeddedPostgres postgres = startPostgres();
        StockService stock = StockService.start();
        SpringApplication application = new SpringApplication(BootSampleApplication.class);
        application.setDefaultProperties(Map.of(
                "spring.r2dbc.url", "r2dbc:postgresql://postgres@127.0.0.1:" + postgres.getPort() + "/postgres",
                "stock-service.url", stock.url()));
        // Registered before any bean, so destroyed after all of them: the pools close first.
        application.addInitializers(context -> {
            if (context.getBeanFactory() instanceof DefaultSingletonBeanRegistry registry) {
                registry.registerDisposableBean("sampleInfrastructure", () -> {
                    stock.close();
                    postgres.close();
                });
            }
        });
        return application.run(args);
    }

    private static EmbeddedPostgres startPostgres() {
        try {
            return EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }
}
