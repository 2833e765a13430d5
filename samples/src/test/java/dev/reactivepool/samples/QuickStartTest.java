package dev.reactivepool.samples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuickStartTest {

    @Test
    void theQuickStartLeasesQueriesAndCountsEverything() {
        QuickStart.Outcome outcome = QuickStart.run();

        assertThat(outcome.rows()).hasSize(22);
        assertThat(outcome.rows().get(0)).matches("connection \\d+ ran: select 1");
        assertThat(outcome.rows().get(1)).matches("connection \\d+ ran: select 2");
        assertThat(outcome.rows().subList(2, 22)).allMatch(row -> row.matches("connection \\d+ ran: select \\d+"));
        // 22 leases, every one returned; never more than maxSize connections.
        assertThat(outcome.metrics().acquired()).isEqualTo(22);
        assertThat(outcome.metrics().leased()).isZero();
        assertThat(outcome.metrics().created()).isBetween(1L, 10L);
        assertThat(outcome.metrics().total()).isLessThanOrEqualTo(10);
        assertThat(outcome.acquiredMeter()).isEqualTo(22.0);
    }
}
