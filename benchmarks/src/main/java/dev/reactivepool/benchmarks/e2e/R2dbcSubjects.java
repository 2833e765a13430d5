package dev.reactivepool.benchmarks.e2e;

import java.time.Duration;
import java.util.List;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ValidationDepth;
import reactor.core.publisher.Mono;

/**
 * Builds the subjects compared by the R2DBC benchmark over the same driver factory, all with at
 * most {@value #MAX_CONNECTIONS} connections and pre-warmed to that size.
 */
final class R2dbcSubjects {

    static final int MAX_CONNECTIONS = 10;

    /** Both pools bound an acquire by this (r2dbc-pool's maxAcquireTime, reactive-pool's acquireTimeout). */
    static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(60);

    static final String REACTIVE_POOL = "reactive-pool";
    static final String R2DBC_POOL = "r2dbc-pool";
    static final String NO_POOL = "new connection per query";

    private R2dbcSubjects() {
    }

    /**
     * The subjects, in report order.
     *
     * @return subject names
     */
    static List<String> names() {
        return SubjectFilter.apply(List.of(REACTIVE_POOL, R2DBC_POOL, NO_POOL));
    }

    static R2dbcSubject create(String name, ConnectionFactory driver) {
        switch (name) {
            case REACTIVE_POOL:
                return ReactivePoolR2dbc.create(driver, MAX_CONNECTIONS, ACQUIRE_TIMEOUT);
            case R2DBC_POOL: {
                ConnectionPool pool = new ConnectionPool(ConnectionPoolConfiguration.builder(driver)
                        .name("bench-r2dbc-pool")
                        .initialSize(MAX_CONNECTIONS)
                        .maxSize(MAX_CONNECTIONS)
                        .maxAcquireTime(ACQUIRE_TIMEOUT)
                        // its fastest documented set-up: the local validation only (the default,
                        // no validationQuery), no idle timeout (negative: none) and no JMX
                        .validationDepth(ValidationDepth.LOCAL)
                        .maxIdleTime(Duration.ofMillis(-1))
                        .registerJmx(false)
                        .build());
                pool.warmup().block(Duration.ofSeconds(30));
                return new R2dbcSubject(name, pool, pool.disposeLater());
            }
            case NO_POOL:
                return new R2dbcSubject(name, driver, Mono.empty());
            default:
                throw new IllegalArgumentException("unknown R2DBC subject '" + name + "'");
        }
    }
}
