package dev.reactivepool.benchmarks.report;

/**
 * One target of issue 15 beside the figure measured for it.
 *
 * @param target   the target, in words
 * @param measured the measured figure, in words
 * @param verdict  {@code met}, {@code MISSED} or why it was not measured
 */
public record TargetCheck(String target, String measured, String verdict) {

    static TargetCheck of(String target, String measured, boolean met) {
        return new TargetCheck(target, measured, met ? "met" : "MISSED");
    }

    static TargetCheck notMeasured(String target, String why) {
        return new TargetCheck(target, "—", why);
    }
}
