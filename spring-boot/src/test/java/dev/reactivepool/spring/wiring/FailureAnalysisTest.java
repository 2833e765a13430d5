package dev.reactivepool.spring.wiring;

import dev.reactivepool.spring.support.EmbeddedDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A bad pool property stops startup with Boot's failure report naming the property, its range and
 * the fix; the password, given in the URL or as a property, appears nowhere in the output.
 */
@ExtendWith(OutputCaptureExtension.class)
class FailureAnalysisTest {

    private static final String PASSWORD = "Tr0ub4dor-and-3";

    private static void start(String... properties) {
        new SpringApplicationBuilder(AutoConfiguredApp.class).web(WebApplicationType.NONE)
                .properties(properties).run().close();
    }

    private static void assertReport(CapturedOutput output, String property, String range) {
        assertThat(output.getAll())
                .contains("APPLICATION FAILED TO START")
                .contains("'" + property + "' " + range)
                .contains("Action:")
                .contains("Change '" + property + "' in the application's configuration: it " + range)
                .doesNotContain(PASSWORD);
    }

    @Test
    void springPoolPropertyWithPasswordInTheUrl(CapturedOutput output) {
        assertThatThrownBy(() -> start("spring.r2dbc.url=" + EmbeddedDatabase.url("boot-failure", PASSWORD),
                "spring.r2dbc.pool.max-size=0")).isNotNull();
        assertReport(output, "spring.r2dbc.pool.max-size", "must be at least 1 and at most 100000");
    }

    @Test
    void ourPropertyWithThePasswordAsAProperty(CapturedOutput output) {
        assertThatThrownBy(() -> start("spring.r2dbc.url=" + EmbeddedDatabase.url("boot-failure", null),
                "spring.r2dbc.password=" + PASSWORD, "spring.r2dbc.pool.max-size=10",
                "reactivepool.r2dbc.max-idle=50")).isNotNull();
        // The range names the other option by its property too.
        assertReport(output, "reactivepool.r2dbc.max-idle", "must be between 0 and spring.r2dbc.pool.max-size (10)");
    }

    @Test
    void poolOptionInAReactivepoolUrlWithPassword(CapturedOutput output) {
        assertThatThrownBy(() -> start("spring.r2dbc.url=r2dbc:reactivepool:postgresql://postgres:" + PASSWORD
                + "@127.0.0.1:" + EmbeddedDatabase.server().getPort() + "/postgres?maxSize=0")).isNotNull();
        assertReport(output, "spring.r2dbc.url (option maxSize)", "must be at least 1 and at most 100000");
    }

    @Test
    void initialSizeAboveMaxSize(CapturedOutput output) {
        assertThatThrownBy(() -> start("spring.r2dbc.url=" + EmbeddedDatabase.url("boot-failure", PASSWORD),
                "spring.r2dbc.pool.max-size=5", "spring.r2dbc.pool.initial-size=20")).isNotNull();
        // max-idle is max-size (5) when not set.
        assertReport(output, "spring.r2dbc.pool.initial-size", "must be between 0 and reactivepool.r2dbc.max-idle (5)");
    }

    @Test
    void perHostHttpOverride(CapturedOutput output) {
        assertThatThrownBy(() -> start("spring.r2dbc.url=" + EmbeddedDatabase.url("boot-failure", PASSWORD),
                "reactivepool.http.hosts[0].address=api.example.com:443",
                "reactivepool.http.hosts[0].max-connections=0")).isNotNull();
        assertReport(output, "reactivepool.http.hosts[0].max-connections", "must be at least 1");
    }
}
