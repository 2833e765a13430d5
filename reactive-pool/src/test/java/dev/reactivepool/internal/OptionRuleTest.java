package dev.reactivepool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;

import dev.reactivepool.IdleOrder;
import dev.reactivepool.InvalidPoolConfigurationException;
import org.junit.jupiter.api.Test;

/**
 * The rule table as a framework uses it: a rule checks a value under the caller's own name for
 * the option (here a Spring-style property), accepts the bounds and reports what lies past them.
 */
class OptionRuleTest {

    private static InvalidPoolConfigurationException rejected(Runnable check) {
        InvalidPoolConfigurationException error = catchThrowableOfType(InvalidPoolConfigurationException.class,
                check::run);
        assertThat(error).as("the check must refuse the value").isNotNull();
        return error;
    }

    @Test
    void aRuleChecksUnderTheCallersNameAndAcceptsItsBounds() {
        assertThat(OptionRule.MAX_SIZE.check("app.pool.max-size", 1)).isEqualTo(1);
        assertThat(OptionRule.MAX_SIZE.check("app.pool.max-size", 100_000)).isEqualTo(100_000);

        InvalidPoolConfigurationException error = rejected(() -> OptionRule.MAX_SIZE.check("app.pool.max-size",
                100_001));

        assertThat(error.option()).isEqualTo("app.pool.max-size");
        assertThat(error.allowedRange()).contains(OptionRule.MAX_SIZE.range());
        assertThat(error.rejectedValue()).contains("100001");
        assertThat(error).hasMessage("Invalid pool option 'app.pool.max-size': must be at least 1 and at most "
                + "100000, was 100001");
    }

    @Test
    void durationRulesAcceptZeroOnlyWhereItMeansSomethingAndAtMost365Days() {
        Duration limit = Duration.ofDays(365);
        assertThat(OptionRule.ACQUIRE_TIMEOUT.check("t", limit)).isEqualTo(limit);
        assertThat(OptionRule.IDLE_TIMEOUT.check("t", Duration.ZERO)).isZero();
        assertThat(OptionRule.EVICTION_INTERVAL.check("t", Duration.ofMillis(1))).isEqualTo(Duration.ofMillis(1));

        assertThat(rejected(() -> OptionRule.ACQUIRE_TIMEOUT.check("t", Duration.ZERO)).allowedRange())
                .contains("a positive duration of at most 365 days");
        assertThat(rejected(() -> OptionRule.IDLE_TIMEOUT.check("t", limit.plusNanos(1))).rejectedValue())
                .contains(limit.plusNanos(1).toString());
        assertThat(rejected(() -> OptionRule.EVICTION_INTERVAL.check("t", Duration.ofNanos(999_999))).option())
                .isEqualTo("t");
        assertThat(rejected(() -> OptionRule.CLOSE_GRACE_PERIOD.check("t", null)).rejectedValue()).contains("null");
    }

    @Test
    void relativeRulesNameTheBoundAsTheCallerNamesIt() {
        assertThat(OptionRule.MAX_IDLE.checkUpTo("max-idle", 5, "max-size", 5)).isEqualTo(5);
        assertThat(rejected(() -> OptionRule.MAX_IDLE.checkUpTo("max-idle", 6, "max-size", 5)))
                .hasMessage("Invalid pool option 'max-idle': must be between 0 and max-size (5), was 6");

        Duration lifetime = Duration.ofMinutes(1);
        assertThat(OptionRule.MAX_LIFETIME_JITTER.checkBelow("jitter", lifetime.minusNanos(1), "lifetime", lifetime))
                .isEqualTo(lifetime.minusNanos(1));
        assertThat(rejected(() -> OptionRule.MAX_LIFETIME_JITTER.checkBelow("jitter", lifetime, "lifetime",
                lifetime)).allowedRange()).contains("less than lifetime (PT1M)");

        assertThat(rejected(() -> OptionRule.CREATION_BACKOFF_MAX.checkAtLeast("backoff-max", Duration.ofSeconds(1),
                "backoff-initial", Duration.ofSeconds(2)))).hasMessageContaining("at least backoff-initial (PT2S)");
    }

    @Test
    void givenRulesRefuseNullAndBlank() {
        assertThat(OptionRule.IDLE_ORDER.checkGiven("order", IdleOrder.LIFO)).isEqualTo(IdleOrder.LIFO);
        assertThat(rejected(() -> OptionRule.IDLE_ORDER.checkGiven("order", null)))
                .hasMessage("Invalid pool option 'order': must be FIFO or LIFO, was null");
        assertThat(rejected(() -> OptionRule.NAME.checkGiven("pool-name", " ")).rejectedValue()).contains("' '");
    }

    @Test
    void aRuleOfOneKindCannotBeUsedForAnotherKindOfValue() {
        assertThat(catchThrowableOfType(IllegalStateException.class,
                () -> OptionRule.MAX_SIZE.check("x", Duration.ZERO))).hasMessageContaining("maxSize");
    }

    @Test
    void adaptersDefineTheirOwnRulesWithTheSameForms() {
        OptionRule pools = OptionRule.intRange("maxConnectionPools", 1, Integer.MAX_VALUE, "at least 1");
        assertThat(pools.option()).isEqualTo("maxConnectionPools");
        assertThat(rejected(() -> pools.check("maxConnectionPools", 0)).allowedRange()).contains("at least 1");

        OptionRule restore = OptionRule.durationRange("statementTimeout", Duration.ZERO, "zero (no timeout) or a "
                + "positive duration");
        assertThat(restore.range()).isEqualTo("zero (no timeout) or a positive duration of at most 365 days");
    }
}
