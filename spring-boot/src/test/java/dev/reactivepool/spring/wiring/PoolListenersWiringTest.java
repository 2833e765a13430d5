package dev.reactivepool.spring.wiring;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.reactivepool.PoolEvent;
import dev.reactivepool.PoolListener;
import dev.reactivepool.micrometer.PoolObservation;
import dev.reactivepool.r2dbc.PooledConnectionFactory;
import dev.reactivepool.spring.support.EmbeddedDatabase;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.r2dbc.spi.Connection;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application's {@code PoolListener<Object>} beans reach the R2DBC pool the starter builds,
 * and an application with an {@code ObservationRegistry} gets an observation for every acquire
 * that waits for a connection, named after the pool.
 */
class PoolListenersWiringTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(AutoConfiguredApp.class)
            .withPropertyValues("spring.r2dbc.url=" + EmbeddedDatabase.url("boot-listener-test", null),
                    "spring.r2dbc.pool.max-size=1", "reactivepool.r2dbc.name=boot-listener-db");

    @Test
    void aPoolListenerBeanReceivesTheEventsOfTheApplicationsPool() {
        runner.withUserConfiguration(ListenerBean.class).run(context -> {
            assertThat(context).hasNotFailed();
            PooledConnectionFactory factory = context.getBean(PooledConnectionFactory.class);
            Connection connection = Mono.from(factory.create()).block(Duration.ofSeconds(30));
            Mono.from(connection.close()).block(Duration.ofSeconds(30));

            List<PoolEvent> events = context.getBean(ListenerBean.class).events;
            assertThat(events).filteredOn(PoolEvent.Created.class::isInstance).isNotEmpty();
            assertThat(events).filteredOn(PoolEvent.Acquired.class::isInstance).isNotEmpty();
            assertThat(events).filteredOn(PoolEvent.Released.class::isInstance).isNotEmpty();
            assertThat(events).allSatisfy(event -> assertThat(event.pool()).isEqualTo("boot-listener-db"));
        });
    }

    @Test
    void anAcquireThatWaitsIsAnObservationWhenTheApplicationHasARegistry() {
        runner.withUserConfiguration(RegistryBean.class).run(context -> {
            assertThat(context).hasNotFailed();
            PooledConnectionFactory factory = context.getBean(PooledConnectionFactory.class);
            Connection first = Mono.from(factory.create()).block(Duration.ofSeconds(30));
            List<Connection> second = new CopyOnWriteArrayList<>();
            Mono.from(factory.create()).subscribe(second::add); // waits: maxSize is 1
            Mono.from(first.close()).block(Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30)).until(() -> second.size() == 1);
            Mono.from(second.get(0).close()).block(Duration.ofSeconds(30));

            List<Observation.Context> stopped = context.getBean(RegistryBean.class).stopped;
            // The second acquire waited for the first connection; the first may have waited for its creation.
            assertThat(stopped).filteredOn(c -> PoolObservation.ACQUIRE_WAIT.equals(c.getName()))
                    .hasSizeBetween(1, 2)
                    .allSatisfy(c -> assertThat(c.getLowCardinalityKeyValues()).contains(
                            KeyValue.of(PoolObservation.POOL_KEY, "boot-listener-db"),
                            KeyValue.of(PoolObservation.OUTCOME_KEY, "acquired")));
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class ListenerBean {

        final List<PoolEvent> events = new CopyOnWriteArrayList<>();

        @Bean
        PoolListener<Object> recordingListener() {
            return new PoolListener<>() {
                @Override
                public void created(PoolEvent.Created<Object> event) {
                    events.add(event);
                }

                @Override
                public void acquired(PoolEvent.Acquired<Object> event) {
                    events.add(event);
                }

                @Override
                public void released(PoolEvent.Released<Object> event) {
                    events.add(event);
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class RegistryBean {

        final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

        @Bean
        ObservationRegistry observationRegistry() {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new ObservationHandler<>() {
                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }

                @Override
                public void onStop(Observation.Context context) {
                    stopped.add(context);
                }
            });
            return registry;
        }
    }
}
