package dev.reactivepool.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.reactivepool.benchmarks.Profile;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class AlternatingRoundsTest {

    @Test
    void runsInOrderThenInReverseWithHalfWindowsAndMergesEachSubject() throws Exception {
        Profile profile = new Profile("test", 1, 1, Duration.ofSeconds(1), 1, 1,
                Duration.ofSeconds(4), Duration.ofSeconds(10), Duration.ZERO, Duration.ZERO);
        List<String> turns = new ArrayList<>();
        Map<String, ClosedLoopLoad.Outcome> outcomes = AlternatingRounds.run(List.of("a", "b", "c"), profile,
                (subject, warmup, measurement) -> {
                    turns.add(subject);
                    assertThat(warmup).isEqualTo(Duration.ofSeconds(2));
                    assertThat(measurement).isEqualTo(Duration.ofSeconds(5));
                    Histogram h = new Histogram(3);
                    h.recordValue(turns.size()); // 1..6: the turn's position
                    return new ClosedLoopLoad.Outcome(h, measurement, subject.equals("b") ? 1 : 0, null, 1000, 2000);
                });

        assertThat(turns).containsExactly("a", "b", "c", "c", "b", "a");
        assertThat(outcomes.keySet()).containsExactly("a", "b", "c");
        ClosedLoopLoad.Outcome a = outcomes.get("a");
        assertThat(a.latencies().getTotalCount()).isEqualTo(2);
        assertThat(a.latencies().getMinValue()).isEqualTo(1);
        assertThat(a.latencies().getMaxValue()).isEqualTo(6);
        assertThat(a.window()).isEqualTo(Duration.ofSeconds(10));
        assertThat(a.perSecond()).isEqualTo(0.2);
        assertThat(a.cpuNanos()).isEqualTo(2000);
        assertThat(a.cpuMicrosPerOperation()).isEqualTo(1.0);
        assertThat(a.allocatedBytes()).isEqualTo(4000);
        assertThat(a.bytesPerOperation()).isEqualTo(2000.0);
        assertThat(outcomes.get("b").errors()).isEqualTo(2);
    }
}
