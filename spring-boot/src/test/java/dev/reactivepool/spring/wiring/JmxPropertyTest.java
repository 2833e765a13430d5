package dev.reactivepool.spring.wiring;

import java.lang.management.ManagementFactory;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import dev.reactivepool.r2dbc.PooledConnectionFactory;
import dev.reactivepool.spring.support.EmbeddedDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code reactivepool.r2dbc.register-jmx} and {@code reactivepool.r2dbc.max-size-limit} reach the
 * pool: its MXBean is registered while the context runs and unregistered when it closes, and a
 * resize through JMX may grow the pool up to the limit.
 */
class JmxPropertyTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(AutoConfiguredApp.class)
            .withPropertyValues("spring.r2dbc.url=" + EmbeddedDatabase.url("boot-jmx-test", null));

    @Test
    void thePoolIsRegisteredWhileTheContextRunsAndResizableUpToTheLimit() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("dev.reactivepool:type=Pool,name=" + ObjectName.quote("boot-jmx-db"));
        runner.withPropertyValues("reactivepool.r2dbc.name=boot-jmx-db", "reactivepool.r2dbc.register-jmx=true",
                "spring.r2dbc.pool.max-size=3", "reactivepool.r2dbc.max-size-limit=6").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(server.isRegistered(name)).isTrue();
            server.invoke(name, "resize", new Object[] {6}, new String[] {"int"});
            assertThat(context.getBean(PooledConnectionFactory.class).metrics().maxSize()).isEqualTo(6);
        });
        assertThat(server.isRegistered(name)).as("unregistered when the context closed").isFalse();
    }
}
