package dev.reactivepool.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.reactivepool.r2dbc.PooledConnectionFactory;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.R2dbcException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * PgBouncer in session pooling mode: a pooled connection holds one server connection for as long as
 * it stays open (PgBouncer's own reset, {@code DISCARD ALL}, runs only when the client disconnects),
 * so session settings are the connection's own, the adapter's {@code resetQuery} is what cleans them
 * between borrowers, and a pool larger than PgBouncer's server pool leaves its extra connections
 * waiting in PgBouncer until {@code query_wait_timeout}.
 */
final class SessionPoolingTest {

    @RegisterExtension
    static final SharedPostgres PG = new SharedPostgres();

    private static PgBouncer bouncer;

    @BeforeAll
    static void startPgBouncer() {
        bouncer = PgBouncer.start(PG.get().port(),
                Map.of("pool_mode", "session", "default_pool_size", "2", "query_wait_timeout", "2"),
                Map.of("app", "host=127.0.0.1 port=${port} dbname=app"));
    }

    @AfterAll
    static void stopPgBouncer() {
        if (bouncer != null) {
            bouncer.close();
        }
    }

    @Test
    void theResetQueryCleansSessionSettingsBetweenBorrowers() {
        PooledConnectionFactory pool = PooledConnectionFactory.builder(Drivers.postgresql(bouncer.port(), "app", null))
                .maxSize(1)
                .resetQuery("DISCARD ALL")
                .build();
        try {
            Flux.usingWhen(pool.create(), c -> Drivers.execute(c, "SET statement_timeout = '1234ms'"), Connection::close)
                    .blockLast(Duration.ofSeconds(10));
            assertThat(Drivers.one(pool, "SHOW statement_timeout", String.class).block(Duration.ofSeconds(10)))
                    .isEqualTo("0");
            // A parameterised statement, prepared and cached by the driver, works across the reset.
            Object second = null;
            for (int i = 0; i < 2; i++) {
                second = Flux.usingWhen(pool.create(), c -> Drivers.queryInt(c, "SELECT stock FROM item WHERE id = $1", 7),
                        Connection::close).single().<Object>map(v -> v).onErrorResume(Mono::just).block(Duration.ofSeconds(10));
            }
            assertThat(second).isEqualTo(100);
        } finally {
            pool.close().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void aPoolLargerThanTheServerPoolWaitsInPgBouncer() {
        PooledConnectionFactory pool = PooledConnectionFactory.builder(Drivers.postgresql(bouncer.port(), "app", 0))
                .maxSize(3)
                .build();
        try {
            // Three connections held at once against a server pool of two: the third one's query
            // waits in PgBouncer, which gives up after query_wait_timeout (2 s here).
            List<Object> outcomes = Flux.range(0, 3)
                    .flatMap(i -> Flux.usingWhen(pool.create(),
                            c -> Drivers.queryInt(c, "SELECT count(*)::int FROM pg_sleep(4)"), Connection::close)
                            .single()
                            .<Object>map(v -> v)
                            .onErrorResume(Mono::just))
                    .collectList()
                    .block(Duration.ofSeconds(30));
            assertThat(outcomes).filteredOn(R2dbcException.class::isInstance).singleElement()
                    .satisfies(e -> assertThat(((Throwable) e).getMessage()).contains("query_wait_timeout"));
            assertThat(outcomes).filteredOn(Integer.class::isInstance).hasSize(2);
        } finally {
            pool.close().block(Duration.ofSeconds(10));
        }
    }
}
