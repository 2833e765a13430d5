package dev.reactivepool.benchmarks.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one run measured, and what the report needs to say about the run.
 *
 * @param profile     the profile name ({@code quick}, {@code full}, {@code smoke})
 * @param command     the command that produced the run, as the reader should type it
 * @param started     when the run started
 * @param elapsed     how long it took
 * @param machine     facts about the machine, in report order
 * @param loadAtEnd   the load average when the run ended
 * @param micro       JMH figures
 * @param endToEnd    end-to-end figures
 * @param burst       the HTTP burst scenario, one figure per pool
 * @param notes       what did not run, and why, one sentence each
 */
public record RunResults(String profile, String command, Instant started, Duration elapsed,
                         Map<String, String> machine, String loadAtEnd, List<MicroFigure> micro,
                         List<EndToEndFigure> endToEnd, List<BurstFigure> burst, List<String> notes) {
}
