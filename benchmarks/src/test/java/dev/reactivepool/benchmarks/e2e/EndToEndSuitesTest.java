package dev.reactivepool.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import dev.reactivepool.benchmarks.Profile;
import dev.reactivepool.benchmarks.report.BurstFigure;
import dev.reactivepool.benchmarks.report.EndToEndFigure;
import org.junit.jupiter.api.Test;

/**
 * Runs both end-to-end suites with windows of a fraction of a second: checks that every subject
 * runs without errors and that the pools stay within their connection limits, not the figures.
 */
class EndToEndSuitesTest {

    private static final Profile TINY = new Profile("test", 1, 1, Duration.ofMillis(100), 1, 1,
            Duration.ofMillis(150), Duration.ofMillis(250), Duration.ofMillis(300), Duration.ofMillis(300));

    @Test
    void httpSuiteRunsEverySubjectAndCountsConnections() throws Exception {
        List<EndToEndFigure> figures = new HttpSuite(TINY, 8).run();

        assertThat(figures).extracting(EndToEndFigure::subject)
                .containsExactly(HttpSubjects.REACTIVE_POOL, HttpSubjects.REACTOR_NETTY, HttpSubjects.NO_POOL);
        assertThat(figures).allSatisfy(f -> {
            assertThat(f.errors()).as(f.subject()).isZero();
            assertThat(f.operations()).as(f.subject()).isPositive();
            assertThat(f.p99Micros()).as(f.subject()).isGreaterThanOrEqualTo(f.p50Micros());
        });
        assertThat(figures.get(0).connectionsOpened()).isBetween(1L, (long) HttpSubjects.MAX_CONNECTIONS);
        assertThat(figures.get(1).connectionsOpened()).isBetween(1L, (long) HttpSubjects.MAX_CONNECTIONS);
        // Without a pool every request opens its own connection.
        assertThat(figures.get(2).connectionsOpened()).isGreaterThanOrEqualTo(figures.get(2).operations());
    }

    @Test
    void afterTheBurstReactivePoolKeepsAtMostItsIdleCapOpenAndReactorNettyItsMaximum() throws Exception {
        List<BurstFigure> figures = new HttpBurst(TINY.burstHigh(), TINY.burstLow()).run();

        assertThat(figures).extracting(BurstFigure::subject)
                .containsExactly(HttpSubjects.REACTIVE_POOL, HttpSubjects.REACTOR_NETTY);
        BurstFigure ours = figures.get(0);
        BurstFigure peer = figures.get(1);
        assertThat(figures).allSatisfy(f -> {
            assertThat(f.errors()).as(f.subject()).isZero();
            assertThat(f.requests()).as(f.subject()).isPositive();
            // 256 requests in flight fill every pool to its maximum
            assertThat(f.peakOpen()).as(f.subject()).isEqualTo(HttpSubjects.MAX_CONNECTIONS);
        });
        assertThat(ours.maxIdle()).isEqualTo(HttpSubjects.BURST_MAX_IDLE);
        assertThat(ours.openAtEnd()).isBetween(1, HttpSubjects.BURST_MAX_IDLE);
        assertThat(peer.maxIdle()).isEqualTo(-1);
        assertThat(peer.openAtEnd()).isEqualTo(HttpSubjects.MAX_CONNECTIONS);
    }

    @Test
    void r2dbcSuiteRunsEveryScenarioAndSubjectOnEmbeddedPostgres() throws Exception {
        List<EndToEndFigure> figures = new R2dbcSuite(TINY, List.of(4)).run();

        assertThat(figures).hasSize(6);
        assertThat(figures).extracting(EndToEndFigure::scenario).containsOnly("SELECT 1", "lookup by PK");
        assertThat(figures).allSatisfy(f -> {
            assertThat(f.errors()).as(f.subject()).isZero();
            assertThat(f.operations()).as(f.subject()).isPositive();
            if (f.subject().equals(R2dbcSubjects.NO_POOL)) {
                assertThat(f.connectionsOpened()).isGreaterThanOrEqualTo(f.operations());
            } else {
                // pre-warmed to the maximum, so exactly the maximum unless one was replaced
                assertThat(f.connectionsOpened()).isEqualTo(R2dbcSubjects.MAX_CONNECTIONS);
            }
        });
    }
}
