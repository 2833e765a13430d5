package dev.reactivepool.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.reactivepool.testsupport.ReactorLogCapture;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.R2dbcException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import reactor.core.publisher.Mono;

/**
 * What the pool logs about the adapter's connections, on the embedded PostgreSQL: a leak report
 * names the method that subscribed to {@code create()} (a Mono the factory assembled once, whose
 * connection the driver emits on its event loop), and a database outage (a wrong password, a
 * refused port) is one WARN naming the driver's error and one INFO on recovery, with no password.
 */
final class DiagnosticLoggingTest {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PASSWORD = "Wr0ng-s3cret-pw";

    @Test
    void aLeakedConnectionIsReportedWithTheStackOfTheMethodThatSubscribedToCreate() {
        String app = "diagnostics-leak";
        PooledConnectionFactory factory = PooledConnectionFactory.builder(PgSupport.driver(PG.port(), app))
                .name(app).maxSize(1).acquireTimeout(WAIT)
                .leakDetectionThreshold(Duration.ofMillis(200)).evictionInterval(Duration.ofMillis(50))
                .build();
        Connection leaked = null;
        try (ReactorLogCapture log = ReactorLogCapture.start()) {
            leaked = factory.create().block(WAIT); // a new connection, emitted on the driver's event loop

            // The report is written on the housekeeping thread while this thread reads the capture:
            // wait for its last part (the stack), not its first line.
            Awaitility.await("the leak report with the acquirer's stack").atMost(WAIT).until(() -> log.warnings()
                    .contains("aLeakedConnectionIsReportedWithTheStackOfTheMethodThatSubscribedToCreate"));

            assertThat(factory.metrics().leaks()).isEqualTo(1);
            assertThat(lines(log.warnings(), "WARN] Pool '" + app)).singleElement().asString().contains("leakDetectionThreshold=200 ms");
            assertThat(log.warnings())
                    .contains("aLeakedConnectionIsReportedWithTheStackOfTheMethodThatSubscribedToCreate");
        } finally {
            if (leaked != null) {
                Mono.from(leaked.close()).block(WAIT);
            }
            factory.close().block(WAIT);
        }
    }

    @Test
    void aWrongPasswordIsOneWarningWithoutThePasswordAndTheRecoveryOneInfo() throws IOException {
        String app = "diagnostics-auth";
        String role = "diagnostics_auth_role";
        JdbcTemplate jdbc = PgSupport.observer(PG.server().getPostgresDatabase());
        jdbc.execute("DROP ROLE IF EXISTS " + role);
        jdbc.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'the-right-one'");
        Path hba = Path.of(jdbc.queryForObject("SHOW hba_file", String.class));
        String original = Files.readString(hba, StandardCharsets.UTF_8);
        // Password authentication for this role only, ahead of the server's trust lines. Cleartext
        // on loopback: the driver's SCRAM client reads SecureRandom on the event loop, which
        // BlockHound rejects, and the test is about what is logged, not the handshake.
        Files.writeString(hba, "host all " + role + " 127.0.0.1/32 password\n" + original, StandardCharsets.UTF_8);
        jdbc.execute("SELECT pg_reload_conf()");
        ConnectionFactory driver = ConnectionFactories.get(ConnectionFactoryOptions.builder()
                .from(PgSupport.driverOptions(PG.port(), app))
                .option(ConnectionFactoryOptions.USER, role)
                .option(ConnectionFactoryOptions.PASSWORD, PASSWORD)
                .build());
        PooledConnectionFactory factory = PooledConnectionFactory.builder(driver).name(app).maxSize(2)
                .acquireTimeout(WAIT).creationBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).build();
        try (ReactorLogCapture log = ReactorLogCapture.start()) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> factory.create().block(WAIT)).isInstanceOf(R2dbcException.class)
                        .satisfies(e -> System.out.println("wrong password, create() fails with: " + e))
                        .satisfies(e -> assertThat(e.toString()).doesNotContain(PASSWORD));
            }
            jdbc.execute("ALTER ROLE " + role + " PASSWORD '" + PASSWORD + "'");
            Mono.from(factory.create().block(WAIT).close()).block(WAIT);

            List<String> warnings = lines(log.warnings(), "WARN] Pool '" + app);
            System.out.println("wrong password, logged: " + warnings);
            assertThat(warnings).singleElement().asString().contains("password authentication failed")
                    .doesNotContain(PASSWORD);
            assertThat(lines(log.infos(), app + "': object creation works again"))
                    .singleElement().asString().contains("3 attempt(s) failed");
            assertThat(log.text()).doesNotContain(PASSWORD);
        } finally {
            factory.close().block(WAIT);
            Files.writeString(hba, original, StandardCharsets.UTF_8);
            jdbc.execute("SELECT pg_reload_conf()");
            jdbc.execute("DROP ROLE IF EXISTS " + role);
        }
    }

    @Test
    void aRefusedPortConfiguredByUrlIsOneWarningWithoutThePassword() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort(); // nothing listens there once closed
        }
        String app = "diagnostics-refused";
        ConnectionFactory factory = ConnectionFactories.get("r2dbc:reactivepool:postgresql://postgres:" + PASSWORD
                + "@127.0.0.1:" + closedPort + "/postgres?name=" + app + "&maxSize=2&acquireTimeout=PT20S"
                + "&creationBackoffInitial=PT0.01S&creationBackoffMax=PT0.05S");
        try (ReactorLogCapture log = ReactorLogCapture.start()) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> Mono.from(factory.create()).block(WAIT)).isInstanceOf(R2dbcException.class)
                        .satisfies(e -> System.out.println("refused port, create() fails with: " + e))
                        .satisfies(e -> assertThat(e.toString()).doesNotContain(PASSWORD));
            }

            List<String> warnings = lines(log.warnings(), "WARN] Pool '" + app);
            System.out.println("refused port, logged: " + warnings);
            assertThat(warnings).singleElement().asString().contains(String.valueOf(closedPort))
                    .contains("Connection refused")
                    .doesNotContain(PASSWORD);
            assertThat(log.text()).doesNotContain(PASSWORD);
        } finally {
            ((PooledConnectionFactory) factory).close().block(WAIT);
        }
    }

    private static List<String> lines(String log, String marker) {
        return log.lines().filter(line -> line.contains(marker)).toList();
    }
}
