package dev.reactivepool.r2dbc;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import reactor.test.util.LoggerUtils;
import reactor.test.util.TestLogger;

/**
 * Captures what the pool and the adapter log through Reactor's {@code Loggers}, with reactor-test's
 * {@link LoggerUtils} and {@link TestLogger}.
 *
 * <p>Reactor's capturing logger factory must be installed before the pool's loggers are created
 * (they are static), so this class is also a JUnit {@link LauncherSessionListener}, registered in
 * {@code META-INF/services}, which installs it when the test JVM's launcher session opens. Logs
 * still reach slf4j as well.
 *
 * <p>Capture is global to the JVM: a test filters what it reads by its pool's name.
 */
public final class LogCapture implements LauncherSessionListener, AutoCloseable {

    private final TestLogger logger = new TestLogger(false);

    /** For the {@link java.util.ServiceLoader} only. */
    public LogCapture() {
    }

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        try {
            LoggerUtils.useCurrentLoggersWithCapture();
        } catch (IllegalStateException alreadyInstalled) {
            // a second session in the same JVM: the factory is in place
        }
    }

    /** Starts capturing every log line of the JVM until {@link #close()}. */
    static LogCapture start() {
        LogCapture capture = new LogCapture();
        LoggerUtils.enableCaptureWith(capture.logger, true);
        return capture;
    }

    /** Everything logged since {@link #start()}: INFO and below, then WARN and ERROR. */
    String text() {
        return logger.getOutContent() + logger.getErrContent();
    }

    /** WARN and ERROR lines (with their stack traces) since {@link #start()}. */
    String warnings() {
        return logger.getErrContent();
    }

    /** INFO, DEBUG and TRACE lines since {@link #start()}. */
    String infos() {
        return logger.getOutContent();
    }

    @Override
    public void close() {
        LoggerUtils.disableCapture();
    }
}
