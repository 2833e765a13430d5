package dev.reactivepool.samples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionCounterTest {

    @Test
    void countsOpenedOpenAndThePeakPerRun() {
        ConnectionCounter counter = new ConnectionCounter();
        counter.opened();
        counter.opened();
        counter.opened();
        counter.closed();

        assertThat(counter.openedCount()).isEqualTo(3);
        assertThat(counter.openNow()).isEqualTo(2);
        assertThat(counter.peak()).isEqualTo(3);

        counter.startRun();

        // A new run starts with the connections still open as its peak, and nothing opened yet.
        assertThat(counter.openedCount()).isZero();
        assertThat(counter.peak()).isEqualTo(2);
        counter.closed();
        counter.opened();
        assertThat(counter.openedCount()).isEqualTo(1);
        assertThat(counter.peak()).isEqualTo(2);
        assertThat(counter.openNow()).isEqualTo(2);
    }
}
