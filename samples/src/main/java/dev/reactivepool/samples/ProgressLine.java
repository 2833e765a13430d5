package dev.reactivepool.samples;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * The demo's live progress line. On a terminal it is rewritten in place; otherwise (output piped
 * to a file, or a test) one line is printed per second, so that logs stay readable.
 */
public final class ProgressLine {

    private static final long PLAIN_INTERVAL_NANOS = 1_000_000_000L;

    private final PrintStream out;
    private final boolean inPlace;
    private final LongSupplier nanoClock;
    private int lastLength;
    private long lastPlainNanos = Long.MIN_VALUE;

    /**
     * @param out     where to print
     * @param inPlace true to rewrite one line with carriage returns (for a terminal)
     */
    public ProgressLine(PrintStream out, boolean inPlace) {
        this(out, inPlace, System::nanoTime);
    }

    ProgressLine(PrintStream out, boolean inPlace, LongSupplier nanoClock) {
        this.out = out;
        this.inPlace = inPlace;
        this.nanoClock = nanoClock;
    }

    /**
     * A progress line for the demo's standard output: in place if it is a terminal.
     *
     * @return the progress line
     */
    public static ProgressLine forConsole() {
        return new ProgressLine(System.out, System.console() != null);
    }

    /**
     * Shows the current progress. Called from one thread (the demo's main thread).
     *
     * @param text the line, without line breaks
     */
    public void update(String text) {
        if (inPlace) {
            // Pad with spaces to wipe what a longer previous line left behind.
            int pad = Math.max(0, lastLength - text.length());
            out.print("\r" + text + " ".repeat(pad));
            out.flush();
            lastLength = text.length();
        } else {
            long now = nanoClock.getAsLong();
            if (lastPlainNanos == Long.MIN_VALUE || now - lastPlainNanos >= PLAIN_INTERVAL_NANOS) {
                out.println(text);
                lastPlainNanos = now;
            }
        }
    }

    /**
     * Ends the progress of one run, leaving its last state on screen.
     *
     * @param text the final line
     */
    public void finish(String text) {
        if (inPlace) {
            update(text);
            out.println();
        } else {
            out.println(text);
        }
        lastLength = 0;
        lastPlainNanos = Long.MIN_VALUE;
    }
}
