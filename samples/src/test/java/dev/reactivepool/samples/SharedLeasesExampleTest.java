package dev.reactivepool.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivepool.samples.SharedLeasesExample.Spread;
import org.junit.jupiter.api.Test;

class SharedLeasesExampleTest {

    @Test
    void sixRequestsSpreadTwoPerConnection() {
        Spread spread = SharedLeasesExample.run(6);

        assertThat(spread.peakStreams()).hasSize(3).allSatisfy((id, peak) -> assertThat(peak).isEqualTo(2));
        assertThat(spread.whileBusy().leases()).isEqualTo(6);
        assertThat(spread.whileBusy().leased()).isEqualTo(3);
        assertThat(spread.answers()).hasSize(6);
    }

    @Test
    void twelveRequestsFillThreeConnectionsOfFourStreams() {
        Spread spread = SharedLeasesExample.run(12);

        assertThat(spread.peakStreams()).hasSize(3).allSatisfy((id, peak) -> assertThat(peak).isEqualTo(4));
        assertThat(spread.whileBusy().leases()).isEqualTo(12);
        assertThat(spread.whileBusy().leased()).isEqualTo(3);
        assertThat(spread.whileBusy().total()).isEqualTo(3);
        assertThat(spread.answers()).hasSize(12).allSatisfy(answer -> assertThat(answer).contains("answered /items/"));
    }

    @Test
    void twoRequestsUseTwoOfTheThreeIdleConnections() {
        Spread spread = SharedLeasesExample.run(2);

        assertThat(spread.peakStreams()).hasSize(2).allSatisfy((id, peak) -> assertThat(peak).isEqualTo(1));
        assertThat(spread.whileBusy().idle()).isEqualTo(1);
    }
}
