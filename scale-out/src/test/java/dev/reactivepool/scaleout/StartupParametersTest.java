package dev.reactivepool.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What PgBouncer 1.18 accepts of r2dbc-postgresql's start-up message: the driver always sends
 * {@code extra_float_digits}, which PgBouncer refuses unless listed in
 * {@code ignore_startup_parameters}; the driver's {@code statementTimeout} option travels as a
 * start-up parameter too and is refused (a server-side default, {@code ALTER ROLE ... SET
 * statement_timeout}, is the way behind PgBouncer).
 */
final class StartupParametersTest {

    @RegisterExtension
    static final SharedPostgres PG = new SharedPostgres();

    private static String url(PgBouncer bouncer, String extra) {
        return "r2dbc:postgresql://postgres@127.0.0.1:" + bouncer.port() + "/app?preparedStatementCacheQueries=0" + extra;
    }

    @Test
    void withoutIgnoreStartupParametersPgBouncerRefusesTheDriver() {
        try (PgBouncer bouncer = PgBouncer.start(PG.get().port(), Map.of("ignore_startup_parameters", ""),
                Map.of("app", "host=127.0.0.1 port=${port} dbname=app"))) {
            ConnectionFactory driver = ConnectionFactories.get(url(bouncer, ""));
            assertThatThrownBy(() -> Drivers.one(driver, "SELECT 1", Integer.class).block(Duration.ofSeconds(10)))
                    .isInstanceOf(R2dbcNonTransientResourceException.class)
                    .hasMessageContaining("unsupported startup parameter: extra_float_digits");
        }
    }

    @Test
    void withItTheDriverConnectsButItsStatementTimeoutOptionIsRefused() {
        try (PgBouncer bouncer = PgBouncer.start(PG.get().port(), Map.of(),
                Map.of("app", "host=127.0.0.1 port=${port} dbname=app"))) {
            ConnectionFactory plain = ConnectionFactories.get(url(bouncer, ""));
            assertThat(Drivers.one(plain, "SELECT 1", Integer.class).block(Duration.ofSeconds(10))).isEqualTo(1);
            ConnectionFactory withTimeout = ConnectionFactories.get(url(bouncer, "&statementTimeout=PT3S"));
            assertThatThrownBy(() -> Drivers.one(withTimeout, "SELECT 1", Integer.class).block(Duration.ofSeconds(10)))
                    .isInstanceOf(R2dbcNonTransientResourceException.class)
                    .hasMessageContaining("unsupported startup parameter: statement_timeout");
        }
    }
}
