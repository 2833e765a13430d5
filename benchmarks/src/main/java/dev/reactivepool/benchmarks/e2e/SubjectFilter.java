package dev.reactivepool.benchmarks.e2e;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Narrows the end-to-end subjects to those named in the system property {@value #PROPERTY}
 * (comma-separated), for profiling one subject alone, for example
 * {@code java -Dbench.subjects=reactive-pool -XX:StartFlightRecording=... -jar benchmarks.jar --only r2dbc}.
 * Without the property every subject runs.
 */
final class SubjectFilter {

    static final String PROPERTY = "bench.subjects";

    private SubjectFilter() {
    }

    static List<String> apply(List<String> subjects) {
        String chosen = System.getProperty(PROPERTY);
        if (chosen == null || chosen.isBlank()) {
            return subjects;
        }
        Set<String> names = Arrays.stream(chosen.split(",")).map(String::trim).collect(Collectors.toSet());
        List<String> kept = subjects.stream().filter(names::contains).toList();
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + chosen + " names none of " + subjects);
        }
        return kept;
    }
}
