package dev.reactivepool.benchmarks.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.reactivepool.benchmarks.Profile;

/**
 * Runs the subjects of one case in two rounds, in order and then in reverse order (A B C, C B A),
 * each with half the profile's warmup and measurement, and merges each subject's two outcomes.
 * A machine whose load drifts during the case (other work on a shared machine) then favours no
 * subject for running first or last.
 */
final class AlternatingRounds {

    /** One subject's turn in a round. */
    @FunctionalInterface
    interface Turn {
        ClosedLoopLoad.Outcome run(String subject, Duration warmup, Duration measurement) throws InterruptedException;
    }

    private AlternatingRounds() {
    }

    static Map<String, ClosedLoopLoad.Outcome> run(List<String> subjects, Profile profile, Turn turn)
            throws InterruptedException {
        Duration warmup = profile.endToEndWarmup().dividedBy(2);
        Duration measurement = profile.endToEndMeasurement().dividedBy(2);
        List<String> reversed = new ArrayList<>(subjects);
        Collections.reverse(reversed);
        Map<String, ClosedLoopLoad.Outcome> merged = new LinkedHashMap<>();
        for (List<String> order : List.of(subjects, reversed)) {
            for (String subject : order) {
                merged.merge(subject, turn.run(subject, warmup, measurement), ClosedLoopLoad.Outcome::plus);
            }
        }
        Map<String, ClosedLoopLoad.Outcome> inSubjectOrder = new LinkedHashMap<>();
        for (String subject : subjects) {
            inSubjectOrder.put(subject, merged.get(subject));
        }
        return inSubjectOrder;
    }
}
