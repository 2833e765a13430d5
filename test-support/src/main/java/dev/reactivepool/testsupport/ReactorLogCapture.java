package dev.reactivepool.testsupport;

import reactor.test.util.LoggerUtils;
import reactor.test.util.TestLogger;

/**
 * Captures what is logged through Reactor's {@code Loggers}, with reactor-test's
 * {@link LoggerUtils} and {@link TestLogger}. Logs still reach slf4j as well.
 *
 * <p>Reactor's capturing logger factory must be installed before the code under test creates its
 * (static) loggers: {@link ReactorLogCaptureInstaller}, a JUnit {@code LauncherSessionListener},
 * calls {@link #install()} when the test JVM's launcher session opens. Capture is global to the
 * JVM: a test filters what it reads, for example by its pool's name.
 */
public final class ReactorLogCapture implements AutoCloseable {

    private final TestLogger logger = new TestLogger(false);

    private ReactorLogCapture() {
    }

    /** Installs Reactor's capturing logger factory, once per JVM (later calls do nothing). */
    public static void install() {
        try {
            LoggerUtils.useCurrentLoggersWithCapture();
        } catch (IllegalStateException alreadyInstalled) {
            // a second launcher session in the same JVM: the factory is in place
        }
    }

    /**
     * Starts capturing every log line of the JVM until {@link #close()}.
     *
     * @return the capture
     */
    public static ReactorLogCapture start() {
        ReactorLogCapture capture = new ReactorLogCapture();
        LoggerUtils.enableCaptureWith(capture.logger, true);
        return capture;
    }

    /** @return everything logged since {@link #start()}: INFO and below, then WARN and ERROR */
    public String text() {
        return logger.getOutContent() + logger.getErrContent();
    }

    /** @return WARN and ERROR lines (with their stack traces) since {@link #start()} */
    public String warnings() {
        return logger.getErrContent();
    }

    /** @return INFO, DEBUG and TRACE lines since {@link #start()} */
    public String infos() {
        return logger.getOutContent();
    }

    /** Stops capturing. */
    @Override
    public void close() {
        LoggerUtils.disableCapture();
    }
}
