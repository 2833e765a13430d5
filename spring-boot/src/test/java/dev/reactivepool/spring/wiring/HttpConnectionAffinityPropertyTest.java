package dev.reactivepool.spring.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivepool.http.ReactivePoolConnectionProvider;
import dev.reactivepool.spring.InvalidPoolPropertyException;
import dev.reactivepool.spring.autoconfigure.ReactivePoolHttpAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code reactivepool.http.connection-affinity} and {@code reactivepool.http.hosts[n].connection-affinity}
 * reach the HTTP adapter's {@code connectionAffinity}: on with FIFO the provider builds; on with
 * LIFO (which the adapter refuses) the start fails naming the property as written.
 */
class HttpConnectionAffinityPropertyTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReactivePoolHttpAutoConfiguration.class));

    @Test
    void onWithFifoOrOffWithLifoBuildsTheProvider() {
        runner.withPropertyValues("reactivepool.http.connection-affinity=true").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ReactivePoolConnectionProvider.class);
        });
        runner.withPropertyValues("reactivepool.http.connection-affinity=false", "reactivepool.http.idle-order=lifo",
                "reactivepool.http.hosts[0].address=api.example.com:443",
                "reactivepool.http.hosts[0].idle-order=fifo",
                "reactivepool.http.hosts[0].connection-affinity=true").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ReactivePoolConnectionProvider.class);
        });
    }

    @Test
    void onWithLifoFailsNamingTheProperty() {
        runner.withPropertyValues("reactivepool.http.connection-affinity=true", "reactivepool.http.idle-order=lifo")
                .run(context -> assertRefused(context, "reactivepool.http.connection-affinity",
                        "must be false while reactivepool.http.idle-order is LIFO"));
    }

    @Test
    void aHostsOverrideOnWithTheProvidersLifoFailsNamingTheHostsProperty() {
        runner.withPropertyValues("reactivepool.http.idle-order=lifo",
                        "reactivepool.http.hosts[0].address=api.example.com:443",
                        "reactivepool.http.hosts[0].connection-affinity=true")
                .run(context -> assertRefused(context, "reactivepool.http.hosts[0].connection-affinity",
                        "must be false while reactivepool.http.hosts[0].idle-order is LIFO"));
    }

    private static void assertRefused(AssertableApplicationContext context, String property, String problem) {
        assertThat(context).hasFailed();
        Throwable cause = context.getStartupFailure();
        while (cause != null && !(cause instanceof InvalidPoolPropertyException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("an InvalidPoolPropertyException in %s", context.getStartupFailure())
                .isInstanceOf(InvalidPoolPropertyException.class);
        InvalidPoolPropertyException refused = (InvalidPoolPropertyException) cause;
        assertThat(refused.property()).isEqualTo(property);
        assertThat(refused.problem()).startsWith(problem).endsWith("was true");
    }
}
