package dev.reactivepool.reliability;

import dev.reactivepool.PoolMetrics;

import static org.assertj.core.api.Assertions.assertThat;

/** What every pool's metrics show once its load has ended, whatever faults it went through. */
final class PoolAtRest {

    private PoolAtRest() {
    }

    /**
     * Nothing leased, waiting or being created; no permit lost (total == idle) and no object lost
     * (made and not destroyed == idle). Each message names the figure and shows all of {@code m}.
     */
    static void assertNothingLost(PoolMetrics m) {
        assertThat(m.leased()).as("leased; %s", m).isZero();
        assertThat(m.pending()).as("pending; %s", m).isZero();
        assertThat(m.creating()).as("creating; %s", m).isZero();
        assertThat(m.total()).as("total == idle at rest (no lost permit); %s", m).isEqualTo(m.idle());
        assertThat(m.created() - m.destroyed()).as("live == idle (no lost object); %s", m).isEqualTo(m.idle());
    }
}
