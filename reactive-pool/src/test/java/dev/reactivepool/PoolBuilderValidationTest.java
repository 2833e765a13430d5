package dev.reactivepool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Bad input to the builder: every option out of range makes {@link PoolBuilder#build()} throw
 * {@link InvalidPoolConfigurationException} naming the option, the value and the allowed range;
 * values at the edges of the ranges are accepted.
 */
class PoolBuilderValidationTest {

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    static Stream<Arguments> invalidOptions() {
        Duration minus = Duration.ofMillis(-1);
        return Stream.of(
                bad("name empty", b -> b.name(""), "name", "non-blank"),
                bad("name blank", b -> b.name("  "), "name", "non-blank"),
                bad("maxSize 0", b -> b.maxSize(0), "maxSize", "at least 1"),
                bad("maxSize negative", b -> b.maxSize(-5), "maxSize", "at least 1"),
                bad("maxSize above the limit", b -> b.maxSize(100_001), "maxSize", "at most 100000"),
                bad("maxSize unbounded", b -> b.maxSize(Integer.MAX_VALUE), "maxSize", "at most 100000"),
                bad("maxIdle negative", b -> b.maxIdle(-1), "maxIdle", "between 0 and maxSize (10)"),
                bad("maxIdle above maxSize", b -> b.maxSize(3).maxIdle(4), "maxIdle", "between 0 and maxSize (3)"),
                bad("minIdle negative", b -> b.minIdle(-1), "minIdle", "between 0 and maxIdle"),
                bad("minIdle above maxIdle", b -> b.maxSize(5).maxIdle(2).minIdle(3), "minIdle",
                        "between 0 and maxIdle (2)"),
                bad("minIdle above default maxIdle", b -> b.maxSize(2).minIdle(3), "minIdle",
                        "between 0 and maxIdle (2)"),
                bad("maxPending negative", b -> b.maxPending(-1), "maxPending", "at least 0"),
                bad("acquireTimeout null", b -> b.acquireTimeout(null), "acquireTimeout", "positive"),
                bad("acquireTimeout zero", b -> b.acquireTimeout(Duration.ZERO), "acquireTimeout", "positive"),
                bad("acquireTimeout negative", b -> b.acquireTimeout(minus), "acquireTimeout", "positive"),
                bad("createTimeout null", b -> b.createTimeout(null), "createTimeout", "positive"),
                bad("createTimeout zero", b -> b.createTimeout(Duration.ZERO), "createTimeout", "positive"),
                bad("createTimeout negative", b -> b.createTimeout(minus), "createTimeout", "positive"),
                bad("destroyTimeout null", b -> b.destroyTimeout(null), "destroyTimeout", "positive"),
                bad("destroyTimeout zero", b -> b.destroyTimeout(Duration.ZERO), "destroyTimeout", "positive"),
                bad("destroyTimeout negative", b -> b.destroyTimeout(minus), "destroyTimeout", "positive"),
                bad("validationTimeout null", b -> b.validationTimeout(null), "validationTimeout", "positive"),
                bad("validationTimeout zero", b -> b.validationTimeout(Duration.ZERO), "validationTimeout",
                        "positive"),
                bad("validationTimeout negative", b -> b.validationTimeout(minus), "validationTimeout", "positive"),
                bad("skipValidationWithin null", b -> b.skipValidationWithin(null), "skipValidationWithin",
                        "zero (disabled) or a positive"),
                bad("skipValidationWithin negative", b -> b.skipValidationWithin(minus), "skipValidationWithin",
                        "zero (disabled) or a positive"),
                bad("resetTimeout null", b -> b.resetTimeout(null), "resetTimeout", "positive"),
                bad("resetTimeout zero", b -> b.resetTimeout(Duration.ZERO), "resetTimeout", "positive"),
                bad("resetTimeout negative", b -> b.resetTimeout(minus), "resetTimeout", "positive"),
                bad("destroyer null", b -> b.destroyer(null), "destroyer", "must be a non-null function"),
                bad("idleTimeout null", b -> b.idleTimeout(null), "idleTimeout", "zero (disabled) or a positive"),
                bad("idleTimeout negative", b -> b.idleTimeout(minus), "idleTimeout",
                        "zero (disabled) or a positive"),
                bad("maxLifetime null", b -> b.maxLifetime(null), "maxLifetime", "zero (disabled) or a positive"),
                bad("maxLifetime negative", b -> b.maxLifetime(minus), "maxLifetime",
                        "zero (disabled) or a positive"),
                bad("maxLifetime jitter null", b -> b.maxLifetime(Duration.ofSeconds(10), null),
                        "maxLifetimeJitter", "zero (disabled) or a positive"),
                bad("maxLifetime jitter negative", b -> b.maxLifetime(Duration.ofSeconds(10), minus),
                        "maxLifetimeJitter", "zero (disabled) or a positive"),
                bad("maxLifetime jitter equal", b -> b.maxLifetime(Duration.ofSeconds(10), Duration.ofSeconds(10)),
                        "maxLifetimeJitter", "less than maxLifetime (PT10S)"),
                bad("maxLifetime jitter above", b -> b.maxLifetime(Duration.ofSeconds(10), Duration.ofSeconds(11)),
                        "maxLifetimeJitter", "less than maxLifetime"),
                bad("maxLifetime jitter without lifetime", b -> b.maxLifetime(Duration.ZERO, Duration.ofSeconds(1)),
                        "maxLifetimeJitter", "less than maxLifetime"),
                bad("maxUses 0", b -> b.maxUses(0), "maxUses", "at least 1"),
                bad("maxUses negative", b -> b.maxUses(-1), "maxUses", "at least 1"),
                bad("idleOrder null", b -> b.idleOrder(null), "idleOrder", "FIFO or LIFO"),
                bad("evictionInterval null", b -> b.evictionInterval(null), "evictionInterval", "at least 1 ms"),
                bad("evictionInterval zero", b -> b.evictionInterval(Duration.ZERO), "evictionInterval",
                        "at least 1 ms"),
                bad("evictionInterval sub-millisecond", b -> b.evictionInterval(Duration.ofNanos(999_999)),
                        "evictionInterval", "at least 1 ms"),
                bad("evictionInterval negative", b -> b.evictionInterval(minus), "evictionInterval",
                        "at least 1 ms"),
                bad("timerScheduler null", b -> b.timerScheduler(null), "timerScheduler",
                        "must be a non-null scheduler, was null"),
                bad("leakDetectionThreshold null", b -> b.leakDetectionThreshold(null), "leakDetectionThreshold",
                        "zero (disabled) or a positive"),
                bad("leakDetectionThreshold negative", b -> b.leakDetectionThreshold(minus),
                        "leakDetectionThreshold", "zero (disabled) or a positive"),
                bad("creationBackoff initial null", b -> b.creationBackoff(null, Duration.ofSeconds(1)),
                        "creationBackoff.initial", "positive"),
                bad("creationBackoff initial zero", b -> b.creationBackoff(Duration.ZERO, Duration.ofSeconds(1)),
                        "creationBackoff.initial", "positive"),
                bad("creationBackoff initial negative", b -> b.creationBackoff(minus, Duration.ofSeconds(1)),
                        "creationBackoff.initial", "positive"),
                bad("creationBackoff max null", b -> b.creationBackoff(Duration.ofMillis(10), null),
                        "creationBackoff.max", "positive"),
                bad("creationBackoff max below initial",
                        b -> b.creationBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)),
                        "creationBackoff.max", "at least creationBackoff.initial"),
                bad("closeGracePeriod null", b -> b.closeGracePeriod(null), "closeGracePeriod",
                        "zero (disabled) or a positive"),
                bad("closeGracePeriod negative", b -> b.closeGracePeriod(minus), "closeGracePeriod",
                        "zero (disabled) or a positive"),
                bad("holdTimeSampling negative", b -> b.holdTimeSampling(-1), "holdTimeSampling",
                        "0 (never), 1 (every lease) or more"),
                bad("maxLeasesPerObject 0", b -> b.maxLeasesPerObject(0), "maxLeasesPerObject",
                        "at least 1 (one lease per object) and at most 65535"),
                bad("maxLeasesPerObject negative", b -> b.maxLeasesPerObject(-4), "maxLeasesPerObject",
                        "at least 1 (one lease per object) and at most 65535"),
                bad("maxLeasesPerObject above the limit", b -> b.maxLeasesPerObject(65_536), "maxLeasesPerObject",
                        "at most 65535"),
                bad("maxLeasesPerObject huge", b -> b.maxLeasesPerObject(Integer.MAX_VALUE), "maxLeasesPerObject",
                        "at most 65535"),
                bad("affinity null", b -> b.affinity((Affinity) null), "affinity", "NONE, THREAD or EXECUTOR"),
                bad("affinity with shared leases", b -> b.affinity(Affinity.THREAD).maxLeasesPerObject(2), "affinity",
                        "NONE when maxLeasesPerObject > 1"));
    }

    private static Arguments bad(String description, Consumer<PoolBuilder<Object>> configure, String option,
                                 String allowedRange) {
        return Arguments.of(description, configure, option, allowedRange);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidOptions")
    void invalidOptionIsRejectedByBuildWithTheOptionAndItsRange(String description,
                                                                 Consumer<PoolBuilder<Object>> configure,
                                                                 String option, String allowedRange) {
        PoolBuilder<Object> builder = Pool.builder(Mono.just(new Object()));
        // setters only record: the error comes from build()
        assertThatNoException().isThrownBy(() -> configure.accept(builder));

        InvalidPoolConfigurationException error =
                catchThrowableOfType(InvalidPoolConfigurationException.class, builder::build);

        assertThat(error).as(description).isNotNull();
        assertThat(error.option()).isEqualTo(option);
        assertThat(error.getMessage())
                .startsWith("Invalid pool option '" + option + "'")
                .contains(allowedRange);
        assertThat(error).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyRuleOfTheCoreTableIsCheckedByBuildUnderTheBuildersName() {
        java.util.Set<String> rejectedOptions = invalidOptions()
                .map(arguments -> (String) arguments.get()[2]).collect(java.util.stream.Collectors.toSet());

        assertThat(dev.reactivepool.internal.OptionRule.CORE)
                .extracting(dev.reactivepool.internal.OptionRule::option)
                .allSatisfy(option -> assertThat(rejectedOptions).as("a case rejecting " + option).contains(option));
    }

    @Test
    void theErrorGivesOptionRangeAndValueSeparatelyForFrameworks() {
        InvalidPoolConfigurationException maxSize = catchThrowableOfType(InvalidPoolConfigurationException.class,
                () -> Pool.builder(Mono.just(1)).maxSize(100_001).build());

        assertThat(maxSize.option()).isEqualTo("maxSize");
        assertThat(maxSize.allowedRange()).contains("at least 1 and at most 100000");
        assertThat(maxSize.rejectedValue()).contains("100001");
        assertThat(maxSize).hasMessage("Invalid pool option 'maxSize': must be at least 1 and at most 100000, "
                + "was 100001");

        InvalidPoolConfigurationException minIdle = catchThrowableOfType(InvalidPoolConfigurationException.class,
                () -> Pool.builder(Mono.just(1)).maxSize(4).minIdle(5).build());
        assertThat(minIdle.allowedRange()).contains("between 0 and maxIdle (4)");
        assertThat(minIdle.rejectedValue()).contains("5");

        InvalidPoolConfigurationException located = minIdle.within("somewhere");
        assertThat(located).hasMessage("Invalid pool option 'minIdle': must be between 0 and maxIdle (4), was 5 "
                + "(in somewhere)").hasCause(minIdle);
        assertThat(located.option()).isEqualTo("minIdle");
        assertThat(located.allowedRange()).isEqualTo(minIdle.allowedRange());

        InvalidPoolConfigurationException free = new InvalidPoolConfigurationException("x", "unknown option");
        assertThat(free.allowedRange()).isEmpty();
        assertThat(free.rejectedValue()).isEmpty();
    }

    static Stream<Arguments> durationsJustPastTheLimit() {
        Duration past = Duration.ofDays(365).plusNanos(1);
        return Stream.of(
                bad("acquireTimeout", b -> b.acquireTimeout(past), "acquireTimeout", "at most 365 days"),
                bad("createTimeout", b -> b.createTimeout(past), "createTimeout", "at most 365 days"),
                bad("destroyTimeout", b -> b.destroyTimeout(past), "destroyTimeout", "at most 365 days"),
                bad("validationTimeout", b -> b.validationTimeout(past), "validationTimeout", "at most 365 days"),
                bad("skipValidationWithin", b -> b.skipValidationWithin(past), "skipValidationWithin",
                        "at most 365 days"),
                bad("resetTimeout", b -> b.resetTimeout(past), "resetTimeout", "at most 365 days"),
                bad("idleTimeout", b -> b.idleTimeout(past), "idleTimeout", "at most 365 days"),
                bad("maxLifetime", b -> b.maxLifetime(past), "maxLifetime", "at most 365 days"),
                bad("maxLifetimeJitter", b -> b.maxLifetime(Duration.ofDays(365), past), "maxLifetimeJitter",
                        "at most 365 days"),
                bad("evictionInterval", b -> b.evictionInterval(past), "evictionInterval", "at most 365 days"),
                bad("leakDetectionThreshold", b -> b.leakDetectionThreshold(past), "leakDetectionThreshold",
                        "at most 365 days"),
                bad("creationBackoff.initial", b -> b.creationBackoff(past, past), "creationBackoff.initial",
                        "at most 365 days"),
                bad("creationBackoff.max", b -> b.creationBackoff(Duration.ofSeconds(1), past), "creationBackoff.max",
                        "at most 365 days"),
                bad("closeGracePeriod", b -> b.closeGracePeriod(past), "closeGracePeriod", "at most 365 days"));
    }

    @ParameterizedTest(name = "{0} one nanosecond past 365 days")
    @MethodSource("durationsJustPastTheLimit")
    void aDurationOneNanosecondPastTheLimitIsRejected(String description, Consumer<PoolBuilder<Object>> configure,
                                                      String option, String allowedRange) {
        invalidOptionIsRejectedByBuildWithTheOptionAndItsRange(description, configure, option, allowedRange);
    }

    @Test
    void messageGivesTheValueThatWasRejected() {
        assertThatThrownBy(() -> Pool.builder(Mono.just(1)).maxSize(-7).build())
                .hasMessageContaining("was -7");
        assertThatThrownBy(() -> Pool.builder(Mono.just(1)).acquireTimeout(Duration.ofSeconds(-3)).build())
                .hasMessageContaining("PT-3S");
    }

    @Test
    void nullAllocatorIsRejectedAtOnce() {
        assertThatThrownBy(() -> Pool.builder(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("allocator");
    }

    @Test
    void valuesAtTheEdgesOfTheRangesAreAccepted() {
        Pool<PoolFixture.Res> pool = fixture.build(fixture.builder()
                .name("edges")
                .maxSize(1)
                .maxIdle(0)
                .minIdle(0)
                .maxPending(0)
                .acquireTimeout(Duration.ofNanos(1))
                .createTimeout(Duration.ofNanos(1))
                .destroyTimeout(Duration.ofNanos(1))
                .validator(r -> Mono.just(true))
                .validationTimeout(Duration.ofNanos(1))
                .skipValidationWithin(Duration.ZERO)
                .resetter(r -> Mono.empty())
                .resetTimeout(Duration.ofNanos(1))
                .idleTimeout(Duration.ZERO)
                .maxLifetime(Duration.ofMillis(2), Duration.ofMillis(1))
                .maxUses(1)
                .idleOrder(IdleOrder.LIFO)
                .evictionInterval(Duration.ofMillis(1))
                .timerScheduler(fixture.clock)
                .deliveryScheduler(null)
                .leakDetectionThreshold(Duration.ZERO)
                .creationBackoff(Duration.ofNanos(1), Duration.ofNanos(1))
                .closeGracePeriod(Duration.ZERO)
                .holdTimeSampling(0));

        assertThat(pool.name()).isEqualTo("edges");
        assertThat(pool.metrics().maxSize()).isEqualTo(1);
        assertThat(pool.metrics().maxIdle()).isZero();
    }

    @Test
    void maxSizeAtItsLimitIsAccepted() {
        Pool<PoolFixture.Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(100_000));

        assertThat(pool.metrics().maxSize()).isEqualTo(100_000);
        PoolFixture.release(PoolFixture.now(pool.acquire()));
    }

    @Test
    void minIdleMayEqualMaxIdleWhichMayEqualMaxSize() {
        Pool<PoolFixture.Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(3).maxIdle(3).minIdle(3));

        assertThat(pool.metrics().maxIdle()).isEqualTo(3);
    }

    @Test
    void maxIdleDefaultsToMaxSize() {
        Pool<PoolFixture.Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(7));

        assertThat(pool.metrics().maxIdle()).isEqualTo(7);
    }

    @Test
    void builderBuildsIndependentPoolsWithDistinctDefaultNames() {
        PoolBuilder<PoolFixture.Res> builder = Pool.builder(fixture.allocator()).timerScheduler(fixture.clock)
                .maxSize(1);
        Pool<PoolFixture.Res> first = fixture.track(builder.build());
        Pool<PoolFixture.Res> second = fixture.track(builder.build());

        assertThat(first.name()).startsWith("reactive-pool-");
        assertThat(second.name()).startsWith("reactive-pool-").isNotEqualTo(first.name());

        Lease<PoolFixture.Res> fromFirst = PoolFixture.now(first.acquire());
        Lease<PoolFixture.Res> fromSecond = PoolFixture.now(second.acquire());
        assertThat(fromFirst.get()).isNotSameAs(fromSecond.get());
        assertThat(first.metrics().leased()).isEqualTo(1);
        assertThat(second.metrics().leased()).isEqualTo(1);
    }

    @Test
    void deliverySchedulerMayBeGivenAndRemoved() {
        assertThatNoException().isThrownBy(() -> fixture.build(fixture.virtualTimeBuilder()
                .deliveryScheduler(Schedulers.immediate()).deliveryScheduler(null)));
    }

    @Test
    void acquireRejectsNullZeroAndNegativeTimeouts() {
        Pool<PoolFixture.Res> pool = fixture.build(fixture.virtualTimeBuilder().name("timeouts"));

        assertThatThrownBy(() -> pool.acquire(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
        assertThatThrownBy(() -> pool.acquire(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
        assertThatThrownBy(() -> pool.acquire(Duration.ofMillis(-5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
        // the rejected calls reserved nothing
        assertThat(pool.metrics().pending()).isZero();
        assertThat(pool.metrics().total()).isZero();
        assertThat(fixture.allocatorSubscriptions).hasValue(0);
    }
}
