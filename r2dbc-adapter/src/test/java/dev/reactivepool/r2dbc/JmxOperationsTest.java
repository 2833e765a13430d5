package dev.reactivepool.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import dev.reactivepool.InvalidPoolConfigurationException;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import reactor.core.publisher.Mono;

/**
 * The URL options {@code registerJmx} and {@code maxSizeLimit} end to end against PostgreSQL: the
 * factory's pool is registered, its figures read and its operations run through the platform
 * MBean server (an evictAll closes the server backend of a borrowed connection when it is
 * returned), and it is unregistered when the factory closes.
 */
final class JmxOperationsTest {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    @Test
    void aPoolConfiguredByUrlIsManagedThroughJmx() throws Exception {
        String app = "ops-jmx";
        PooledConnectionFactory factory = (PooledConnectionFactory) ConnectionFactories.get(
                "r2dbc:reactivepool:postgresql://postgres@127.0.0.1:" + PG.port() + "/postgres?name=" + app
                        + "&maxSize=2&maxSizeLimit=4&registerJmx=true&applicationName=" + app);
        ObjectName name = new ObjectName("dev.reactivepool:type=Pool,name=" + ObjectName.quote(app));
        JdbcTemplate jdbc = PgSupport.observer(PG.server().getPostgresDatabase());
        try {
            assertThat(server.isRegistered(name)).isTrue();
            assertThat(server.getAttribute(name, "MaxSize")).isEqualTo(2);

            Connection held = Mono.from(factory.create()).block(WAIT);
            Integer oldPid = PgSupport.queryOn(held, "SELECT pg_backend_pid()", Integer.class).block(WAIT);
            assertThat(server.getAttribute(name, "Leased")).isEqualTo(1);

            server.invoke(name, "evictAll", null, null);
            Integer newPid = PgSupport.queryOne(factory, "SELECT pg_backend_pid()", Integer.class).block(WAIT);
            Mono.from(held.close()).block(WAIT);

            assertThat(newPid).as("a connection opened after the eviction").isNotEqualTo(oldPid);
            Awaitility.await().atMost(WAIT).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM pg_stat_activity WHERE pid = ?", Integer.class, oldPid) == 0);
            assertThat(PgSupport.backends(jdbc, app)).isEqualTo(1);

            server.invoke(name, "resize", new Object[] {4}, new String[] {"int"});
            assertThat(factory.metrics().maxSize()).isEqualTo(4);
            assertThat(server.getAttribute(name, "Evicted")).isEqualTo(1L);
        } finally {
            factory.close().block(WAIT);
        }
        assertThat(server.isRegistered(name)).isFalse();
    }

    @Test
    void maxSizeLimitIsCheckedAgainstMaxSizeUnderItsUrlName() {
        InvalidPoolConfigurationException error = catchThrowableOfType(InvalidPoolConfigurationException.class,
                () -> ConnectionFactories.get("r2dbc:reactivepool:postgresql://app:s3cr3t-pw@127.0.0.1:1/db"
                        + "?maxSize=5&maxSizeLimit=4"));

        assertThat(error.option()).isEqualTo("maxSizeLimit");
        assertThat(error.getMessage()).contains("between maxSize (5) and 100000").contains("was 4")
                .doesNotContain("s3cr3t-pw");
    }

    @Test
    void aSecondFactoryWithTheSameRegisteredNameIsRefused() {
        String url = "r2dbc:reactivepool:postgresql://app@127.0.0.1:1/db?name=ops-twice&registerJmx=true";
        PooledConnectionFactory first = (PooledConnectionFactory) ConnectionFactories.get(url);
        try {
            InvalidPoolConfigurationException error = catchThrowableOfType(InvalidPoolConfigurationException.class,
                    () -> ConnectionFactories.get(url));
            assertThat(error.option()).isEqualTo("registerJmx");
            assertThat(error.getMessage()).contains("ops-twice");
        } finally {
            first.close().block(WAIT);
        }
    }
}
