package dev.reactivepool.testsupport;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Installs {@link ReactorLogCapture}'s capturing logger factory when the test JVM's JUnit
 * launcher session opens, before the code under test creates its (static) loggers. A module
 * whose tests read logs registers it in its test resources, in
 * {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}; test-support
 * does not register it itself, so other modules' tests log as usual.
 */
public final class ReactorLogCaptureInstaller implements LauncherSessionListener {

    /** For the {@link java.util.ServiceLoader}. */
    public ReactorLogCaptureInstaller() {
    }

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        ReactorLogCapture.install();
    }
}
