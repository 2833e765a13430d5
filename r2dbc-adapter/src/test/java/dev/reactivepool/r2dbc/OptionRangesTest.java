package dev.reactivepool.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import dev.reactivepool.InvalidPoolConfigurationException;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pool option of the R2DBC adapter, by URL and by builder method, is checked when the
 * factory is built, with the core pool's ranges, under the name it was given; values at the
 * bounds are accepted. No server is contacted: building a factory opens no connection.
 */
final class OptionRangesTest {

    private static final String BASE = "r2dbc:reactivepool:postgresql://app:s3cr3t-pw@127.0.0.1:1/db";
    private static final String POSITIVE = "a positive duration of at most 365 days";
    private static final String ZERO_OR_POSITIVE = "zero (disabled) or a positive duration of at most 365 days";
    private static final Duration DAYS_365 = Duration.ofDays(365);
    private static final Duration PAST_365 = DAYS_365.plusNanos(1);

    private static InvalidPoolConfigurationException urlFails(String query) {
        InvalidPoolConfigurationException error = catchThrowableOfType(InvalidPoolConfigurationException.class,
                () -> ConnectionFactories.get(BASE + query));
        assertThat(error).as("building from ?%s must fail", query).isNotNull();
        assertThat(error.getMessage()).doesNotContain("s3cr3t-pw");
        return error;
    }

    static Stream<Arguments> urlOptionsPastTheirBounds() {
        return Stream.of(
                url("maxSize=0", "maxSize", "at least 1 and at most 100000"),
                url("maxSize=100001", "maxSize", "at least 1 and at most 100000"),
                url("maxIdle=-1", "maxIdle", "between 0 and maxSize (10)"),
                url("maxSize=4&maxIdle=5", "maxIdle", "between 0 and maxSize (4)"),
                url("minIdle=-1", "minIdle", "between 0 and maxIdle (10)"),
                url("maxIdle=3&minIdle=4", "minIdle", "between 0 and maxIdle (3)"),
                url("maxPending=-1", "maxPending", "at least 0 (0: never wait)"),
                url("acquireTimeout=0", "acquireTimeout", POSITIVE),
                url("acquireTimeout=P365DT0.000000001S", "acquireTimeout", POSITIVE),
                url("createTimeout=0", "createTimeout", POSITIVE),
                url("createTimeout=366d", "createTimeout", POSITIVE),
                url("destroyTimeout=0", "destroyTimeout", POSITIVE),
                url("destroyTimeout=366d", "destroyTimeout", POSITIVE),
                url("validationTimeout=0", "validationTimeout", POSITIVE),
                url("validationTimeout=366d", "validationTimeout", POSITIVE),
                url("skipValidationWithin=PT-1S", "skipValidationWithin", ZERO_OR_POSITIVE),
                url("skipValidationWithin=366d", "skipValidationWithin", ZERO_OR_POSITIVE),
                url("resetTimeout=0", "resetTimeout", POSITIVE),
                url("resetTimeout=366d", "resetTimeout", POSITIVE),
                url("idleTimeout=PT-1S", "idleTimeout", ZERO_OR_POSITIVE),
                url("idleTimeout=366d", "idleTimeout", ZERO_OR_POSITIVE),
                url("maxLifetime=PT-1S", "maxLifetime", ZERO_OR_POSITIVE),
                url("maxLifetime=366d", "maxLifetime", ZERO_OR_POSITIVE),
                url("maxLifetime=1m&maxLifetimeJitter=1m", "maxLifetimeJitter", "less than maxLifetime (PT1M)"),
                url("maxLifetimeJitter=1s", "maxLifetimeJitter", "less than maxLifetime (PT0S)"),
                url("maxLifetimeJitter=PT-1S", "maxLifetimeJitter", ZERO_OR_POSITIVE),
                url("maxUses=0", "maxUses", "at least 1"),
                url("idleOrder=RANDOM", "idleOrder", "one of [FIFO, LIFO]"),
                url("evictionInterval=0", "evictionInterval", "at least 1 ms and at most 365 days"),
                url("evictionInterval=999us", "evictionInterval", "at least 1 ms and at most 365 days"),
                url("evictionInterval=366d", "evictionInterval", "at least 1 ms and at most 365 days"),
                url("leakDetectionThreshold=PT-1S", "leakDetectionThreshold", ZERO_OR_POSITIVE),
                url("leakDetectionThreshold=366d", "leakDetectionThreshold", ZERO_OR_POSITIVE),
                url("creationBackoffInitial=0", "creationBackoffInitial", POSITIVE),
                url("creationBackoffInitial=366d&creationBackoffMax=366d", "creationBackoffInitial", POSITIVE),
                url("creationBackoffInitial=6s", "creationBackoffMax", "at least creationBackoffInitial (PT6S)"),
                url("creationBackoffInitial=2s&creationBackoffMax=1s", "creationBackoffMax",
                        "at least creationBackoffInitial (PT2S)"),
                url("creationBackoffMax=366d", "creationBackoffMax", POSITIVE),
                url("closeGracePeriod=PT-1S", "closeGracePeriod", ZERO_OR_POSITIVE),
                url("closeGracePeriod=366d", "closeGracePeriod", ZERO_OR_POSITIVE),
                url("holdTimeSampling=-1", "holdTimeSampling", "0 (never), 1 (every lease) or more"),
                url("name=%20", "name", "a non-blank string"),
                url("validationDepth=DEEP", "validationDepth", "one of [LOCAL, REMOTE]"),
                url("remoteValidationAfterIdle=PT-1S", "remoteValidationAfterIdle",
                        "zero (check every time) or a positive duration of at most 365 days"),
                url("remoteValidationAfterIdle=366d", "remoteValidationAfterIdle",
                        "zero (check every time) or a positive duration of at most 365 days"),
                url("validationQuery=%20", "validationQuery", "a non-blank string"),
                url("resetQuery=%20", "resetQuery", "a non-blank string"),
                url("defaultStatementTimeout=PT-1S", "defaultStatementTimeout",
                        "zero (no timeout) or a positive duration of at most 365 days"),
                url("defaultStatementTimeout=366d", "defaultStatementTimeout",
                        "zero (no timeout) or a positive duration of at most 365 days"),
                url("statementTimeout=366d", "statementTimeout",
                        "zero (no timeout) or a positive duration of at most 365 days"),
                url("defaultLockWaitTimeout=PT-1S", "defaultLockWaitTimeout",
                        "zero (no timeout) or a positive duration of at most 365 days"),
                url("lockWaitTimeout=366d", "lockWaitTimeout",
                        "zero (no timeout) or a positive duration of at most 365 days"),
                url("deliverOnConnectionThread=yes", "deliverOnConnectionThread", "true or false"),
                url("timerScheduler=parallel", "timerScheduler", "Scheduler instance"),
                url("deliveryScheduler=parallel", "deliveryScheduler", "Scheduler instance"),
                url("creationScheduler=parallel", "creationScheduler", "Scheduler instance"));
    }

    private static Arguments url(String query, String option, String range) {
        return Arguments.of(query, option, range);
    }

    @ParameterizedTest(name = "?{0}")
    @MethodSource("urlOptionsPastTheirBounds")
    void aUrlOptionPastItsBoundFailsNamingItAndItsRange(String query, String option, String range) {
        InvalidPoolConfigurationException error = urlFails("?" + query);

        assertThat(error.option()).isEqualTo(option);
        assertThat(error.allowedRange()).hasValueSatisfying(r -> assertThat(r).contains(range));
        assertThat(error.getMessage()).startsWith("Invalid pool option '" + option + "': must be ");
    }

    @Test
    void everyUrlOptionAtItsBoundsIsAccepted() {
        PooledConnectionFactory factory = (PooledConnectionFactory) ConnectionFactories.get(BASE
                + "?name=edges&maxSize=100000&maxIdle=0&minIdle=0&maxPending=0&acquireTimeout=P365D"
                + "&createTimeout=1ns&destroyTimeout=P365D&validationTimeout=P365D&skipValidationWithin=P365D"
                + "&resetTimeout=P365D&idleTimeout=P365D&maxLifetime=P365D&maxLifetimeJitter=PT8759H59M59.999999999S"
                + "&maxUses=9223372036854775807&evictionInterval=1ms&leakDetectionThreshold=P365D"
                + "&creationBackoffInitial=P365D&creationBackoffMax=P365D&closeGracePeriod=0&holdTimeSampling=0"
                + "&remoteValidationAfterIdle=P365D&defaultStatementTimeout=P365D&defaultLockWaitTimeout=0");
        try {
            assertThat(factory.metrics().maxSize()).isEqualTo(100_000);
            assertThat(factory.metrics().maxIdle()).isZero();
        } finally {
            factory.close().block(Duration.ofSeconds(10));
        }
    }

    static Stream<Arguments> builderOptionsPastTheirBounds() {
        return Stream.of(
                method(b -> b.maxSize(100_001), "maxSize", "at least 1 and at most 100000"),
                method(b -> b.maxSize(2).maxIdle(3), "maxIdle", "between 0 and maxSize (2)"),
                method(b -> b.minIdle(11), "minIdle", "between 0 and maxIdle (10)"),
                method(b -> b.maxPending(-1), "maxPending", "at least 0"),
                method(b -> b.acquireTimeout(PAST_365), "acquireTimeout", POSITIVE),
                method(b -> b.createTimeout(Duration.ZERO), "createTimeout", POSITIVE),
                method(b -> b.destroyTimeout(PAST_365), "destroyTimeout", POSITIVE),
                method(b -> b.validationTimeout(PAST_365), "validationTimeout", POSITIVE),
                method(b -> b.skipValidationWithin(PAST_365), "skipValidationWithin", ZERO_OR_POSITIVE),
                method(b -> b.resetTimeout(PAST_365), "resetTimeout", POSITIVE),
                method(b -> b.idleTimeout(PAST_365), "idleTimeout", ZERO_OR_POSITIVE),
                method(b -> b.maxLifetime(PAST_365, Duration.ZERO), "maxLifetime", ZERO_OR_POSITIVE),
                method(b -> b.maxLifetime(DAYS_365, DAYS_365), "maxLifetimeJitter", "less than maxLifetime"),
                method(b -> b.maxUses(0), "maxUses", "at least 1"),
                method(b -> b.evictionInterval(PAST_365), "evictionInterval", "at least 1 ms and at most 365 days"),
                method(b -> b.leakDetectionThreshold(PAST_365), "leakDetectionThreshold", ZERO_OR_POSITIVE),
                method(b -> b.creationBackoff(PAST_365, PAST_365), "creationBackoffInitial", POSITIVE),
                method(b -> b.creationBackoff(Duration.ofSeconds(1), PAST_365), "creationBackoffMax", POSITIVE),
                method(b -> b.closeGracePeriod(PAST_365), "closeGracePeriod", ZERO_OR_POSITIVE),
                method(b -> b.holdTimeSampling(-1), "holdTimeSampling", "0 (never)"),
                method(b -> b.name(""), "name", "a non-blank string"),
                method(b -> b.creationScheduler(null), "creationScheduler", "a non-null scheduler"),
                method(b -> b.validationDepth(null), "validationDepth", "LOCAL or REMOTE"),
                method(b -> b.remoteValidationAfterIdle(PAST_365), "remoteValidationAfterIdle", "at most 365 days"),
                method(b -> b.validationQuery(" "), "validationQuery", "a non-blank string"),
                method(b -> b.resetQuery(" "), "resetQuery", "a non-blank string"),
                method(b -> b.defaultStatementTimeout(PAST_365), "defaultStatementTimeout", "at most 365 days"),
                method(b -> b.defaultLockWaitTimeout(Duration.ofMillis(-1)), "defaultLockWaitTimeout",
                        "zero (no timeout)"));
    }

    private static Arguments method(UnaryOperator<PooledConnectionFactoryBuilder> set, String option,
                                    String range) {
        return Arguments.of(option, set, range);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builderOptionsPastTheirBounds")
    void aBuilderOptionPastItsBoundFailsAtBuildNamingTheMethod(String option,
                                                               UnaryOperator<PooledConnectionFactoryBuilder> set,
                                                               String range) {
        ConnectionFactory driver = PgSupport.driver(1, "ranges");
        PooledConnectionFactoryBuilder builder = set.apply(PooledConnectionFactory.builder(driver));

        InvalidPoolConfigurationException error =
                catchThrowableOfType(InvalidPoolConfigurationException.class, builder::build);

        assertThat(error).as("build() must refuse %s", option).isNotNull();
        assertThat(error.option()).isEqualTo(option);
        assertThat(error.allowedRange()).hasValueSatisfying(r -> assertThat(r).contains(range));
    }
}
