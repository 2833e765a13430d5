package dev.reactivepool.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * Without a pgbouncer binary the scale-out tests fail, naming the binary and the install command;
 * they are never skipped. And the binary CI installs is the one tested.
 */
final class PgBouncerBinaryTest {

    @Test
    void aMissingBinaryFailsWithItsPathAndTheInstallCommand() {
        Path missing = Path.of("/nonexistent/sbin/pgbouncer");
        assertThatThrownBy(() -> PgBouncer.locate(missing, "/nonexistent/bin"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PgBouncer binary not found: /nonexistent/sbin/pgbouncer")
                .hasMessageContaining("apt-get update && apt-get install -y pgbouncer")
                .hasMessageContaining("-Dscaleout.pgbouncer=");
    }

    @Test
    void theConfiguredBinaryRunsAndReportsItsVersion() {
        String version = PgBouncer.version();
        System.out.println("tested with " + version);
        assertThat(version).startsWith("PgBouncer 1.");
    }
}
