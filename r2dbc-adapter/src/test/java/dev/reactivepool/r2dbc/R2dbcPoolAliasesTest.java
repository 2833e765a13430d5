package dev.reactivepool.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import dev.reactivepool.AcquireTimeoutException;
import dev.reactivepool.InvalidPoolConfigurationException;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import io.r2dbc.spi.R2dbcTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Mono;

/**
 * r2dbc-pool's option names in a {@code reactivepool} URL: each one configures the pool as
 * {@code docs/r2dbc-options.md} says (observed through the pool's behaviour on the embedded
 * PostgreSQL), an invalid value is reported under the alias as written, unsupported ones are
 * refused with the reason, and a typo of an alias gets a hint.
 */
final class R2dbcPoolAliasesTest {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final String NO_SERVER = "r2dbc:reactivepool:postgresql://app:s3cr3t-pw@127.0.0.1:1/db";

    private static PooledConnectionFactory onPostgres(String query) {
        return (PooledConnectionFactory) ConnectionFactories.get("r2dbc:reactivepool:postgresql://postgres@127.0.0.1:"
                + PG.port() + "/postgres" + query);
    }

    private static InvalidPoolConfigurationException rejected(String query) {
        Throwable error = catchThrowable(() -> ConnectionFactories.get(NO_SERVER + query));
        assertThat(error).isInstanceOf(InvalidPoolConfigurationException.class);
        assertThat(error.getMessage()).doesNotContain("s3cr3t-pw");
        return (InvalidPoolConfigurationException) error;
    }

    private static void closeQuietly(PooledConnectionFactory factory) {
        factory.close().block(Duration.ofSeconds(20));
    }

    /** Leases a connection and returns it at once. */
    private static void useOnce(PooledConnectionFactory factory) {
        Mono.usingWhen(factory.create(), c -> Mono.just(1), Connection::close).block(Duration.ofSeconds(20));
    }

    @Test
    void poolNameNamesThePool() {
        PooledConnectionFactory factory = (PooledConnectionFactory) ConnectionFactories.get(NO_SERVER
                + "?poolName=orders&maxSize=3&registerJmx=false&validationDepth=LOCAL"
                + "&validationQuery=SELECT%201");
        try {
            assertThat(factory.name()).isEqualTo("orders");
            assertThat(factory.metrics().maxSize()).isEqualTo(3);
        } finally {
            closeQuietly(factory);
        }
    }

    @Test
    void initialSizeIsWarmedUpAndKeptIdle() {
        PooledConnectionFactory factory = onPostgres("?initialSize=3&maxSize=5&backgroundEvictionInterval=PT0.05S");
        try {
            // The background task opens initialSize connections without anyone asking.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(factory.metrics().idle()).isEqualTo(3));
            assertThat(factory.metrics().created()).isEqualTo(3);
        } finally {
            closeQuietly(factory);
        }
    }

    @Test
    void initialSizeAndMinIdleTogetherKeepTheLarger() {
        PooledConnectionFactory factory = onPostgres("?initialSize=1&minIdle=2&maxSize=4");
        try {
            assertThat(factory.warmup().block(Duration.ofSeconds(20))).isEqualTo(2);
        } finally {
            closeQuietly(factory);
        }
    }

    @Test
    void maxIdleTimeClosesIdleConnectionsAndBackgroundEvictionIntervalRunsTheEviction() {
        PooledConnectionFactory factory = onPostgres("?maxIdleTime=PT0.2S&backgroundEvictionInterval=PT0.05S");
        try {
            useOnce(factory);
            assertThat(factory.metrics().created()).isEqualTo(1);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(factory.metrics().idle()).isZero();
                assertThat(factory.metrics().evicted()).isEqualTo(1);
            });
        } finally {
            closeQuietly(factory);
        }
    }

    @Test
    void aNegativeMaxIdleTimeOrMaxLifeTimeMeansNone() {
        PooledConnectionFactory factory = onPostgres("?maxIdleTime=PT-1S&maxLifeTime=PT-1S"
                + "&backgroundEvictionInterval=PT0.01S");
        try {
            useOnce(factory);
            // Had -1 s been taken as a timeout, the first eviction pass would have closed it.
            Mono.delay(Duration.ofMillis(300)).block(Duration.ofSeconds(5));
            assertThat(factory.metrics().idle()).isEqualTo(1);
            assertThat(factory.metrics().evicted()).isZero();
        } finally {
            closeQuietly(factory);
        }
    }

    @Test
    void maxLifeTimeClosesOldConnections() {
        PooledConnectionFactory factory = onPostgres("?maxLifeTime=PT0.3S&backgroundEvictionInterval=PT0.05S");
        try {
            useOnce(factory);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(factory.metrics().evicted()).isEqualTo(1));
        } finally {
            closeQuietly(factory);
        }
    }

    @Test
    void maxAcquireTimeBoundsTheWait() {
        PooledConnectionFactory factory = onPostgres("?maxSize=1&maxAcquireTime=PT0.3S");
        try {
            Connection held = factory.create().block(Duration.ofSeconds(20));
            try {
                Throwable error = catchThrowable(() -> factory.create().block(Duration.ofSeconds(20)));

                assertThat(error).isInstanceOf(R2dbcTimeoutException.class)
                        .hasCauseInstanceOf(AcquireTimeoutException.class);
                assertThat(((AcquireTimeoutException) error.getCause()).timeout()).isEqualTo(Duration.ofMillis(300));
            } finally {
                Mono.from(held.close()).block(Duration.ofSeconds(20));
            }
        } finally {
            closeQuietly(factory);
        }
    }

    @Test
    void maxCreateConnectionTimeBoundsOpeningAConnection() throws IOException {
        // A server that accepts the TCP connection (in its backlog) and never answers.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            PooledConnectionFactory factory = (PooledConnectionFactory) ConnectionFactories.get(
                    "r2dbc:reactivepool:postgresql://app@127.0.0.1:" + silent.getLocalPort()
                            + "/db?maxCreateConnectionTime=PT0.3S&acquireTimeout=PT20S");
            try {
                Throwable error = catchThrowable(() -> factory.create().block(Duration.ofSeconds(30)));

                assertThat(error).isNotNull();
                // The attempt failed on its own timeout, long before the 20 s acquire timeout.
                assertThat(factory.metrics().creationFailures()).isEqualTo(1);
                assertThat(factory.metrics().acquireTimeouts()).isZero();
            } finally {
                closeQuietly(factory);
            }
        }
    }

    @Test
    void maxValidationTimeBoundsTheValidation() {
        // Every idle connection is validated with a query slower than maxValidationTime: it fails
        // validation and is replaced by a new connection (which is handed out unvalidated).
        PooledConnectionFactory factory = onPostgres("?maxValidationTime=PT0.2S&validationQuery="
                + "SELECT%20pg_sleep(1)&remoteValidationAfterIdle=0&validationDepth=REMOTE");
        try {
            useOnce(factory);
            useOnce(factory);

            assertThat(factory.metrics().validationFailures()).isEqualTo(1);
            assertThat(factory.metrics().created()).isEqualTo(2);
        } finally {
            closeQuietly(factory);
        }
    }

    @ParameterizedTest(name = "?{0}")
    @CsvSource(delimiter = '|', value = {
        "maxIdleTime=abc               | maxIdleTime                | PT5S",
        "maxIdleTime=0                 | maxIdleTime                | negative for none",
        "maxIdleTime=366d              | maxIdleTime                | at most 365 days",
        "maxLifeTime=0                 | maxLifeTime                | negative for none",
        "maxLifeTime=1m&maxLifetimeJitter=1m | maxLifetimeJitter    | less than maxLifeTime (PT1M)",
        "maxAcquireTime=PT-1S          | maxAcquireTime             | a positive duration",
        "maxAcquireTime=0              | maxAcquireTime             | a positive duration",
        "maxCreateConnectionTime=366d  | maxCreateConnectionTime    | at most 365 days",
        "maxValidationTime=0           | maxValidationTime          | a positive duration",
        "backgroundEvictionInterval=0  | backgroundEvictionInterval | at least 1 ms",
        "poolName=%20                  | poolName                   | a non-blank string",
        "initialSize=-1                | initialSize                | between 0 and maxIdle (10)",
        "initialSize=11                | initialSize                | between 0 and maxIdle (10)",
        "maxSize=2&initialSize=3       | initialSize                | between 0 and maxIdle (2)",
        "initialSize=x                 | initialSize                | an integer",
        "registerJmx=maybe             | registerJmx                | true or false",
    })
    void anInvalidAliasValueNamesTheAlias(String query, String option, String expected) {
        InvalidPoolConfigurationException error = rejected("?" + query);

        assertThat(error.option()).isEqualTo(option);
        assertThat(error.getMessage()).startsWith("Invalid pool option '" + option + "': ").contains(expected);
    }

    @ParameterizedTest(name = "?{0}=1")
    @CsvSource({"acquireRetry, does not repeat a failed acquire", "postAllocate, use validationQuery",
        "preRelease, resetQuery"})
    void r2dbcPoolOptionsWithoutAnEquivalentAreRefusedWithTheReason(String option, String reason) {
        InvalidPoolConfigurationException error = rejected("?" + option + "=1");

        assertThat(error.option()).isEqualTo(option);
        assertThat(error.getMessage()).contains("is not supported", reason);
    }

    @Test
    void anOptionGivenUnderBothNamesIsRefusedNamingTheAlias() {
        InvalidPoolConfigurationException error = rejected("?idleTimeout=1m&maxIdleTime=2m");

        assertThat(error.option()).isEqualTo("maxIdleTime");
        assertThat(error.getMessage()).contains("r2dbc-pool's name for 'idleTimeout'", "give only one");
        assertThat(rejected("?maxIdleTime=2m&idleTimeout=1m").option()).isEqualTo("maxIdleTime");
    }

    @ParameterizedTest(name = "?{0}=1 suggests {1}")
    @CsvSource({"maxIdleTim, maxIdleTime", "initialSise, initialSize", "maxAcquireTme, maxAcquireTime",
        "backgroundEvictionIntervall, backgroundEvictionInterval", "poolname, poolName"})
    void aTypoOfAnAliasGetsAHint(String typo, String suggestion) {
        InvalidPoolConfigurationException error = rejected("?" + typo + "=1");

        assertThat(error.option()).isEqualTo(typo);
        assertThat(error.getMessage()).contains("unknown option", "did you mean '" + suggestion + "'",
                "r2dbc-pool's names are also accepted");
    }

    @Test
    void aliasesWorkInOptionsBuiltInCode() {
        PooledConnectionFactory factory = PooledConnectionFactory.builder(PgSupport.driver(1, "aliases"))
                .options(ConnectionFactoryOptions.builder()
                        .option(Option.valueOf("poolName"), "typed")
                        .option(Option.valueOf("maxAcquireTime"), Duration.ofSeconds(2))
                        .build())
                .build();
        try {
            assertThat(factory.name()).isEqualTo("typed");
        } finally {
            closeQuietly(factory);
        }
        Throwable error = catchThrowableOfType(InvalidPoolConfigurationException.class,
                () -> PooledConnectionFactory.builder(PgSupport.driver(1, "aliases"))
                        .options(ConnectionFactoryOptions.builder()
                                .option(Option.valueOf("maxAcquireTime"), Duration.ofDays(400)).build())
                        .build());
        assertThat(((InvalidPoolConfigurationException) error).option()).isEqualTo("maxAcquireTime");
    }
}
