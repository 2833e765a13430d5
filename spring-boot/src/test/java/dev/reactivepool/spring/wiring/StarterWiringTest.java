package dev.reactivepool.spring.wiring;

import dev.reactivepool.http.ReactivePoolConnectionProvider;
import dev.reactivepool.r2dbc.PooledConnectionFactory;
import dev.reactivepool.spring.InvalidPoolPropertyException;
import dev.reactivepool.spring.support.EmbeddedDatabase;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which ConnectionFactory a Boot application gets, with and without r2dbc-pool on the class path
 * (hidden with Boot's {@link FilteredClassLoader}), for driver and reactivepool URLs, through the
 * full auto-configuration (so the starter's import filter runs as in an application).
 */
class StarterWiringTest {

    private static final String APP = "boot-wiring-test";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(AutoConfiguredApp.class)
            .withPropertyValues("spring.r2dbc.url=" + EmbeddedDatabase.url(APP, null));

    private final ApplicationContextRunner withoutR2dbcPool = runner
            .withClassLoader(new FilteredClassLoader("io.r2dbc.pool"));

    @Test
    void withR2dbcPoolOnTheClassPathTheOnlyPoolIsOurs() {
        runner.withPropertyValues("spring.r2dbc.pool.max-size=3").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).getBean(ConnectionFactory.class).isInstanceOf(PooledConnectionFactory.class);
            assertThat(context.getBeansOfType(ConnectionFactory.class)).hasSize(1);
            assertThat(context).doesNotHaveBean(io.r2dbc.pool.ConnectionPool.class);
            assertThat(context.getBean(PooledConnectionFactory.class).metrics().maxSize()).isEqualTo(3);
            assertThat(context).hasSingleBean(DatabaseClient.class).hasSingleBean(R2dbcTransactionManager.class);
            assertThat(context.getBean(DatabaseClient.class).sql("SELECT 41 + 1").map(row -> row.get(0, Integer.class))
                    .one().block()).isEqualTo(42);
        });
    }

    @Test
    void withoutR2dbcPoolSpringR2dbcPoolPropertiesWork() {
        withoutR2dbcPool.withPropertyValues("spring.r2dbc.pool.enabled=true", "spring.r2dbc.pool.max-size=4",
                "spring.r2dbc.pool.max-idle-time=1m", "spring.r2dbc.pool.validation-query=SELECT 1").run(context -> {
            assertThat(context).hasNotFailed();
            PooledConnectionFactory pool = context.getBean(PooledConnectionFactory.class);
            assertThat(pool.metrics().maxSize()).isEqualTo(4);
            assertThat(context.getBean(DatabaseClient.class).sql("SELECT 1").map(row -> row.get(0, Integer.class))
                    .one().block()).isEqualTo(1);
        });
    }

    @Test
    void withoutTheStarterBootItselfRejectsThoseProperties() {
        // What the import filter is for: Boot's own pool condition throws while configuration is parsed.
        withoutR2dbcPool.withPropertyValues("reactivepool.r2dbc.enabled=false", "spring.r2dbc.pool.max-size=4")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause().extracting(e -> e.getClass().getName())
                        .isEqualTo("org.springframework.boot.r2dbc.autoconfigure.MissingR2dbcPoolDependencyException"));
    }

    @Test
    void reactivepoolUrlsArePooledOnceByOurDriverAndPropertiesWinOverTheUrl() {
        String url = "r2dbc:reactivepool:postgresql://postgres@127.0.0.1:" + EmbeddedDatabase.server().getPort()
                + "/postgres?applicationName=" + APP + "&maxSize=4&maxIdle=2";
        runner.withPropertyValues("spring.r2dbc.url=" + url, "spring.r2dbc.pool.min-idle=1").run(context -> {
            assertThat(context).hasNotFailed();
            PooledConnectionFactory pool = context.getBean(PooledConnectionFactory.class);
            assertThat(pool.metrics().maxSize()).isEqualTo(4);
            assertThat(pool.metrics().maxIdle()).isEqualTo(2);
            // One pool, ours, around the driver's factory (in Boot's options-capable wrapper).
            assertThat(((io.r2dbc.spi.Wrapped<?>) pool.unwrap()).unwrap().getClass().getName())
                    .isEqualTo("io.r2dbc.postgresql.PostgresqlConnectionFactory");
            assertThat(context).doesNotHaveBean(io.r2dbc.pool.ConnectionPool.class);
        });
        withoutR2dbcPool.withPropertyValues("spring.r2dbc.url=" + url, "spring.r2dbc.pool.max-size=6").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(PooledConnectionFactory.class).metrics().maxSize()).isEqualTo(6);
        });
    }

    @Test
    void reactivepoolR2dbcPropertiesReachThePool() {
        runner.withPropertyValues("spring.r2dbc.pool.max-size=5", "reactivepool.r2dbc.max-idle=2",
                "reactivepool.r2dbc.name=orders-db", "reactivepool.r2dbc.reset-query=DISCARD ALL").run(context -> {
            PooledConnectionFactory pool = context.getBean(PooledConnectionFactory.class);
            assertThat(pool.name()).isEqualTo("orders-db");
            assertThat(pool.metrics().maxIdle()).isEqualTo(2);
            assertThat(context.getBean(DatabaseClient.class).sql("SELECT 1").map(row -> row.get(0, Integer.class))
                    .one().block()).isEqualTo(1);
        });
    }

    @Test
    void poolEnabledFalseGivesTheDriverUnpooledWithOrWithoutR2dbcPool() {
        for (ApplicationContextRunner variant : new ApplicationContextRunner[] {runner, withoutR2dbcPool}) {
            variant.withPropertyValues("spring.r2dbc.pool.enabled=false").run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(ConnectionFactory.class)).isNotInstanceOf(PooledConnectionFactory.class);
                assertThat(context).doesNotHaveBean(PooledConnectionFactory.class);
                assertThat(context.getBean(DatabaseClient.class).sql("SELECT 1").map(row -> row.get(0, Integer.class))
                        .one().block()).isEqualTo(1);
            });
        }
    }

    @Test
    void anR2dbcPoolUrlIsRejectedRatherThanPooledTwice() {
        runner.withPropertyValues("spring.r2dbc.url=r2dbc:pool:postgresql://postgres@127.0.0.1:"
                        + EmbeddedDatabase.server().getPort() + "/postgres")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().isInstanceOf(InvalidPoolPropertyException.class)
                        .hasMessageContaining("spring.r2dbc.url").hasMessageContaining("r2dbc:pool:"));
    }

    @Test
    void anApplicationsOwnConnectionFactoryWins() {
        runner.withUserConfiguration(OwnFactory.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ConnectionFactory.class)).isSameAs(context.getBean(OwnFactory.class).factory);
            assertThat(context).doesNotHaveBean(io.r2dbc.pool.ConnectionPool.class);
        });
    }

    @Test
    void theWebClientProviderIsABeanUnlessSwitchedOff() {
        runner.withPropertyValues("reactivepool.http.max-connections=7").run(context -> {
            assertThat(context).hasSingleBean(ReactivePoolConnectionProvider.class);
            assertThat(context.getBean(ReactivePoolConnectionProvider.class).maxConnections()).isEqualTo(7);
        });
        runner.withPropertyValues("reactivepool.http.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ReactivePoolConnectionProvider.class));
        runner.withPropertyValues("reactivepool.r2dbc.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(PooledConnectionFactory.class);
            assertThat(context).hasSingleBean(io.r2dbc.pool.ConnectionPool.class);
        });
    }

    /** A user's own ConnectionFactory bean. */
    @Configuration(proxyBeanMethods = false)
    static class OwnFactory {

        final ConnectionFactory factory = org.springframework.boot.r2dbc.ConnectionFactoryBuilder
                .withUrl(EmbeddedDatabase.url(APP, null)).build();

        @Bean
        ConnectionFactory myConnectionFactory() {
            return factory;
        }
    }
}
