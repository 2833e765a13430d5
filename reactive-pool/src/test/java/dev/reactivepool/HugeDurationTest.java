package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static dev.reactivepool.PoolFixture.release;
import static dev.reactivepool.PoolFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import dev.reactivepool.PoolFixture.Res;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;
import reactor.test.subscriber.TestSubscriber;

/**
 * Bad input at the far end of the duration ranges: every duration is at most 365 days. A longer
 * one ({@code Duration.ofSeconds(Long.MAX_VALUE)}, "forever", overflows nanosecond timers) is
 * refused by {@code build()} naming the option; 365 days exactly is accepted and works.
 */
class HugeDurationTest {

    private static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);
    private static final Duration LIMIT = Duration.ofDays(365);

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    static Stream<Arguments> durationOptions() {
        return Stream.of(
                option("acquireTimeout", (b, d) -> b.acquireTimeout(d)),
                option("createTimeout", (b, d) -> b.createTimeout(d)),
                option("destroyTimeout", (b, d) -> b.destroyTimeout(d)),
                option("validationTimeout", (b, d) -> b.validationTimeout(d)),
                option("skipValidationWithin", (b, d) -> b.skipValidationWithin(d)),
                option("resetTimeout", (b, d) -> b.resetTimeout(d)),
                option("idleTimeout", (b, d) -> b.idleTimeout(d)),
                option("maxLifetime", (b, d) -> b.maxLifetime(d)),
                option("evictionInterval", (b, d) -> b.evictionInterval(d)),
                option("leakDetectionThreshold", (b, d) -> b.leakDetectionThreshold(d)),
                option("creationBackoff.initial", (b, d) -> b.creationBackoff(d, d)),
                option("creationBackoff.max", (b, d) -> b.creationBackoff(Duration.ofMillis(100), d)),
                option("closeGracePeriod", (b, d) -> b.closeGracePeriod(d)));
    }

    private static Arguments option(String name, BiFunction<PoolBuilder<Res>, Duration, PoolBuilder<Res>> set) {
        return Arguments.of(name, set);
    }

    private PoolBuilder<Res> base() {
        return fixture.virtualTimeBuilder().maxSize(1).acquireTimeout(Duration.ofDays(1))
                .evictionInterval(Duration.ofMinutes(10))
                .validator(r -> Mono.just(true)).resetter(r -> Mono.empty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("durationOptions")
    void durationBeyondTheLimitIsRefusedByBuild(String option,
                                                BiFunction<PoolBuilder<Res>, Duration, PoolBuilder<Res>> set) {
        PoolBuilder<Res> builder = set.apply(base(), FOREVER);

        InvalidPoolConfigurationException error =
                catchThrowableOfType(InvalidPoolConfigurationException.class, builder::build);

        assertThat(error).as(option).isNotNull();
        assertThat(error.option()).isEqualTo(option);
        assertThat(error).hasMessageContaining("at most 365 days");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("durationOptions")
    void durationAtTheLimitIsAcceptedAndThePoolWorks(String option,
                                                     BiFunction<PoolBuilder<Res>, Duration, PoolBuilder<Res>> set) {
        Pool<Res> pool = fixture.build(set.apply(base(), LIMIT));

        Lease<Res> first = now(pool.acquire());                        // create
        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire());  // wait
        fixture.advance(Duration.ofHours(1));
        assertThat(waiter.isTerminated()).as("still waiting, no error").isFalse();
        release(first);                                                 // reset, hand off
        release(waiter.getReceivedOnNext().get(0));
        release(now(pool.acquire()));                                   // validate (or skip)
        now(pool.acquire()).invalidate().block(Duration.ofSeconds(5));  // destroy
        assertThat(subscribe(pool.close()).isTerminatedComplete()).isTrue();
    }

    @Test
    void acquireRefusesATimeoutBeyondTheLimitAndAcceptsTheLimit() {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().maxSize(1).evictionInterval(Duration.ofDays(1)));
        Lease<Res> holder = now(pool.acquire());

        assertThatThrownBy(() -> pool.acquire(FOREVER)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("365 days");
        TestSubscriber<Lease<Res>> waiter = subscribe(pool.acquire(LIMIT));
        fixture.advance(Duration.ofDays(30));
        assertThat(waiter.isTerminated()).isFalse();
        release(holder);
        assertThat(waiter.getReceivedOnNext()).hasSize(1);
    }
}
