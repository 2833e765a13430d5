package dev.reactivepool.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import dev.reactivepool.IdleOrder;
import dev.reactivepool.InvalidPoolConfigurationException;
import dev.reactivepool.r2dbc.internal.OptionValues;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.R2dbcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Configuration by URL and by options: every option is accepted in its documented forms, and bad
 * URLs and options fail with an {@link InvalidPoolConfigurationException} naming the option,
 * never showing a password.
 */
final class OptionsTest {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    /** No server is contacted to build a factory; this port is never connected to except where said. */
    private static final String BASE = "r2dbc:reactivepool:postgresql://app:s3cr3t-pw@127.0.0.1:1/db";

    private static PooledConnectionFactory byUrl(String query) {
        ConnectionFactory factory = ConnectionFactories.get(BASE + query);
        assertThat(factory).isInstanceOf(PooledConnectionFactory.class);
        return (PooledConnectionFactory) factory;
    }

    private static InvalidPoolConfigurationException rejected(String query) {
        Throwable error = org.assertj.core.api.Assertions.catchThrowable(() -> ConnectionFactories.get(BASE + query));
        assertThat(error).isInstanceOf(InvalidPoolConfigurationException.class);
        assertThat(error.getMessage()).doesNotContain("s3cr3t-pw");
        return (InvalidPoolConfigurationException) error;
    }

    @Test
    void everyOptionIsAcceptedInAUrl() {
        PooledConnectionFactory factory = byUrl("?name=orders-db&maxSize=20&minIdle=2&maxIdle=10&maxPending=100"
                + "&acquireTimeout=PT5S&createTimeout=10s&destroyTimeout=2s&validationTimeout=500ms"
                + "&skipValidationWithin=0&resetTimeout=PT3S&idleTimeout=10m&maxLifetime=1h&maxLifetimeJitter=5m"
                + "&maxUses=1000&idleOrder=lifo&evictionInterval=PT0.5S&leakDetectionThreshold=PT30S"
                + "&creationBackoffInitial=50ms&creationBackoffMax=2s&closeGracePeriod=PT10S&holdTimeSampling=4"
                + "&validationDepth=remote&remoteValidationAfterIdle=PT1S&validationQuery=SELECT%201"
                + "&resetQuery=DISCARD%20ALL&defaultStatementTimeout=0&defaultLockWaitTimeout=PT1S"
                + "&deliverOnConnectionThread=true&applicationName=orders&connectTimeout=PT3S");
        try {
            assertThat(factory.name()).isEqualTo("orders-db");
            assertThat(factory.metrics().maxSize()).isEqualTo(20);
            assertThat(factory.metrics().maxIdle()).isEqualTo(10);
            assertThat(factory.getMetadata().getName()).isEqualTo("PostgreSQL");
            assertThat(factory.toString()).contains("orders-db").doesNotContain("s3cr3t-pw");
        } finally {
            factory.close().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void durationsAreAcceptedInIsoAndPlainForms() {
        assertThat(OptionValues.toDuration("x", "PT5S")).isEqualTo(Duration.ofSeconds(5));
        assertThat(OptionValues.toDuration("x", "pt0.5s")).isEqualTo(Duration.ofMillis(500));
        assertThat(OptionValues.toDuration("x", "P1D")).isEqualTo(Duration.ofDays(1));
        assertThat(OptionValues.toDuration("x", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(OptionValues.toDuration("x", "5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(OptionValues.toDuration("x", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(OptionValues.toDuration("x", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(OptionValues.toDuration("x", "1d")).isEqualTo(Duration.ofDays(1));
        assertThat(OptionValues.toDuration("x", "10us")).isEqualTo(Duration.ofNanos(10_000));
        assertThat(OptionValues.toDuration("x", "100ns")).isEqualTo(Duration.ofNanos(100));
        assertThat(OptionValues.toDuration("x", "0")).isEqualTo(Duration.ZERO);
        assertThat(OptionValues.toDuration("x", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void unknownOptionsAreRejectedByName() {
        InvalidPoolConfigurationException typo = rejected("?maxSise=5");
        assertThat(typo.option()).isEqualTo("maxSise");
        assertThat(typo.getMessage()).contains("unknown option", "did you mean 'maxSize'");

        InvalidPoolConfigurationException unknown = rejected("?frobnicate=1");
        assertThat(unknown.option()).isEqualTo("frobnicate");
        assertThat(unknown.getMessage()).contains("unknown option", "maxSize", "applicationName");

        // Options of the pooled driver and standard R2DBC options pass through.
        byUrl("?applicationName=x&sslMode=disable&connectTimeout=PT2S").close().block(Duration.ofSeconds(10));
    }

    @Test
    void malformedValuesAreRejectedByName() {
        assertThat(rejected("?maxSize=abc")).satisfies(e -> {
            assertThat(e.option()).isEqualTo("maxSize");
            assertThat(e.getMessage()).contains("must be an integer", "'abc'");
        });
        assertThat(rejected("?acquireTimeout=5")).satisfies(e -> {
            assertThat(e.option()).isEqualTo("acquireTimeout");
            assertThat(e.getMessage()).contains("PT5S", "500ms", "'5'");
        });
        assertThat(rejected("?idleOrder=RANDOM")).satisfies(e -> {
            assertThat(e.option()).isEqualTo("idleOrder");
            assertThat(e.getMessage()).contains("FIFO", "LIFO", "'RANDOM'");
        });
        assertThat(rejected("?validationDepth=DEEP").option()).isEqualTo("validationDepth");
        assertThat(rejected("?deliverOnConnectionThread=yes")).satisfies(e -> {
            assertThat(e.option()).isEqualTo("deliverOnConnectionThread");
            assertThat(e.getMessage()).contains("true or false", "'yes'");
        });
        assertThat(rejected("?maxUses=1.5").option()).isEqualTo("maxUses");
        assertThat(rejected("?maxSize=99999999999").option()).isEqualTo("maxSize");
        assertThat(rejected("?timerScheduler=parallel")).satisfies(e -> {
            assertThat(e.option()).isEqualTo("timerScheduler");
            assertThat(e.getMessage()).contains("not in a URL");
        });
    }

    @Test
    void outOfRangeValuesAreRejectedByName() {
        assertThat(rejected("?maxSize=0")).satisfies(e -> {
            assertThat(e.option()).isEqualTo("maxSize");
            assertThat(e.getMessage()).contains("at least 1", "0");
        });
        assertThat(rejected("?maxSize=10&maxIdle=20").option()).isEqualTo("maxIdle");
        assertThat(rejected("?acquireTimeout=PT-1S").option()).isEqualTo("acquireTimeout");
        assertThat(rejected("?creationBackoffInitial=0").option()).isEqualTo("creationBackoffInitial");
        assertThat(rejected("?creationBackoffInitial=2s&creationBackoffMax=1s").option())
                .isEqualTo("creationBackoffMax");
        assertThat(rejected("?remoteValidationAfterIdle=PT-1S").option()).isEqualTo("remoteValidationAfterIdle");
        assertThat(rejected("?maxLifetime=1m&maxLifetimeJitter=2m").option()).isEqualTo("maxLifetimeJitter");
    }

    @Test
    void badUrlsNameWhatIsMissing() {
        Throwable noDriver = org.assertj.core.api.Assertions.catchThrowable(
                () -> ConnectionFactories.get("r2dbc:reactivepool://app:s3cr3t-pw@127.0.0.1:1/db"));
        assertThat(noDriver).isInstanceOf(InvalidPoolConfigurationException.class)
                .hasMessageContaining("protocol").hasMessageContaining("r2dbc:reactivepool:postgresql://")
                .hasMessageNotContaining("s3cr3t-pw");

        Throwable unknownDriver = org.assertj.core.api.Assertions.catchThrowable(
                () -> ConnectionFactories.get("r2dbc:reactivepool:nosuchdb://app:s3cr3t-pw@127.0.0.1:1/db"));
        assertThat(unknownDriver).isInstanceOf(InvalidPoolConfigurationException.class)
                .hasMessageContaining("nosuchdb").hasMessageContaining("postgresql")
                .hasMessageNotContaining("s3cr3t-pw");

        Throwable itself = org.assertj.core.api.Assertions.catchThrowable(
                () -> ConnectionFactories.get("r2dbc:reactivepool:reactivepool://127.0.0.1:1/db"));
        assertThat(itself).isInstanceOf(InvalidPoolConfigurationException.class).hasMessageContaining("itself");

        // r2dbc-pool's driver name is not ours.
        assertThat(new PooledConnectionFactoryProvider().supports(
                ConnectionFactoryOptions.parse("r2dbc:pool:postgresql://127.0.0.1:1/db"))).isFalse();
    }

    @Test
    void typedOptionsAreAcceptedInCode() {
        ConnectionFactory driver = PgSupport.driver(1, "typed");
        PooledConnectionFactory factory = PooledConnectionFactory.builder(driver)
                .options(ConnectionFactoryOptions.builder()
                        .option(PooledConnectionFactoryOptions.MAX_SIZE, 7)
                        .option(PooledConnectionFactoryOptions.ACQUIRE_TIMEOUT, Duration.ofSeconds(2))
                        .option(PooledConnectionFactoryOptions.IDLE_ORDER, IdleOrder.LIFO)
                        .option(PooledConnectionFactoryOptions.MAX_USES, 10L)
                        .option(PooledConnectionFactoryOptions.TIMER_SCHEDULER, Schedulers.single())
                        .option(PooledConnectionFactoryOptions.NAME, "typed")
                        // Standard options are ignored by the pool: the same options can build the driver.
                        .option(ConnectionFactoryOptions.HOST, "127.0.0.1")
                        .build())
                .build();
        try {
            assertThat(factory.metrics().maxSize()).isEqualTo(7);
            assertThat(factory.name()).isEqualTo("typed");
        } finally {
            factory.close().block(Duration.ofSeconds(10));
        }
        assertThatThrownBy(() -> PooledConnectionFactory.builder(driver).options(ConnectionFactoryOptions.builder()
                        .option(io.r2dbc.spi.Option.valueOf("maxsize"), 3).build()))
                .isInstanceOf(InvalidPoolConfigurationException.class)
                .hasMessageContaining("'maxsize'").hasMessageContaining("did you mean 'maxSize'");
    }

    @Test
    void aPasswordNeverAppearsInErrorsOfCreate() {
        PooledConnectionFactory factory = byUrl("?acquireTimeout=PT2S&createTimeout=PT1S");
        try {
            Throwable error = org.assertj.core.api.Assertions.catchThrowable(
                    () -> factory.create().block(Duration.ofSeconds(10)));
            assertThat(error).isInstanceOf(R2dbcException.class);
            for (Throwable t = error; t != null; t = t.getCause()) {
                assertThat(t.getMessage()).as("message of %s", t.getClass().getName()).doesNotContain("s3cr3t-pw");
                assertThat(t.toString()).doesNotContain("s3cr3t-pw");
            }
            assertThat(factory.toString()).doesNotContain("s3cr3t-pw");
            assertThat(factory.metrics().toString()).doesNotContain("s3cr3t-pw");
        } finally {
            factory.close().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void theStatementTimeoutGivenToTheDriverIsWhatTheResetRestores() {
        ConnectionFactory factory = ConnectionFactories.get("r2dbc:reactivepool:postgresql://postgres@127.0.0.1:"
                + PG.port() + "/postgres?maxSize=1&statementTimeout=PT3S");
        try {
            String seenByNextBorrower = Flux.usingWhen(factory.create(),
                            c -> Mono.from(c.setStatementTimeout(Duration.ofSeconds(7))),
                            Connection::close)
                    .then(PgSupport.queryOne(factory, "SHOW statement_timeout", String.class))
                    .block(Duration.ofSeconds(20));
            assertThat(seenByNextBorrower).isEqualTo("3s");
        } finally {
            Mono.from(((PooledConnectionFactory) factory).close()).block(Duration.ofSeconds(10));
        }
    }
}
