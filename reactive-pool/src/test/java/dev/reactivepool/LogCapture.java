package dev.reactivepool;

import dev.reactivepool.testsupport.ReactorLogCapture;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Captures what the pool logs through Reactor's {@code Loggers} (see test-support's
 * {@link ReactorLogCapture}). Also the JUnit {@link LauncherSessionListener}, registered in
 * {@code META-INF/services}, that installs the capturing logger factory when the test JVM's
 * launcher session opens, before the (static) loggers are created.
 *
 * <p>Capture is global to the JVM: a test filters what it reads by its pool's name.
 */
public final class LogCapture implements LauncherSessionListener, AutoCloseable {

    private final ReactorLogCapture capture;

    /** For the {@link java.util.ServiceLoader} only. */
    public LogCapture() {
        this(null);
    }

    private LogCapture(ReactorLogCapture capture) {
        this.capture = capture;
    }

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        ReactorLogCapture.install();
    }

    /** Starts capturing every log line of the JVM until {@link #close()}. */
    static LogCapture start() {
        return new LogCapture(ReactorLogCapture.start());
    }

    /** Everything logged since {@link #start()}: INFO and below, then WARN and ERROR. */
    String text() {
        return capture.text();
    }

    /** WARN and ERROR lines (with their stack traces) since {@link #start()}. */
    String warnings() {
        return capture.warnings();
    }

    /** INFO, DEBUG and TRACE lines since {@link #start()}. */
    String infos() {
        return capture.infos();
    }

    @Override
    public void close() {
        capture.close();
    }
}
