package dev.reactivepool.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class DemoOptionsTest {

    @Test
    void noFlagsGiveTheDefaults() {
        DemoOptions options = DemoOptions.parse();

        assertThat(options).isEqualTo(DemoOptions.defaults());
        assertThat(options.concurrency()).isEqualTo(32);
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.warmup()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.poolSize()).isEqualTo(10);
        assertThat(options.r2dbcUrl()).isEmpty();
    }

    @Test
    void flagsAreReadWithEqualsOrAsTheNextArgument() {
        DemoOptions options = DemoOptions.parse("--concurrency=64", "--duration", "1500ms", "--warmup=PT1S",
                "--pool-size", "5", "--r2dbc-url=r2dbc:postgresql://app:secret@db.example:5432/shop");

        assertThat(options.concurrency()).isEqualTo(64);
        assertThat(options.duration()).isEqualTo(Duration.ofMillis(1500));
        assertThat(options.warmup()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.poolSize()).isEqualTo(5);
        assertThat(options.r2dbcUrl()).contains("r2dbc:postgresql://app:secret@db.example:5432/shop");
    }

    @Test
    void durationsTakeMillisecondsSecondsMinutesAndIso() {
        assertThat(DemoOptions.parse("--duration=250ms").duration()).isEqualTo(Duration.ofMillis(250));
        assertThat(DemoOptions.parse("--duration=7s").duration()).isEqualTo(Duration.ofSeconds(7));
        assertThat(DemoOptions.parse("--duration=2m").duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(DemoOptions.parse("--duration=pt3s").duration()).isEqualTo(Duration.ofSeconds(3));
        assertThat(DemoOptions.parse("--warmup=0s").warmup()).isZero();
    }

    @Test
    void outOfRangeValuesNameTheFlagAndTheRange() {
        assertThatThrownBy(() -> DemoOptions.parse("--concurrency=0"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--concurrency must be an integer from 1 to 256, got 0");
        assertThatThrownBy(() -> DemoOptions.parse("--concurrency", "257"))
                .hasMessage("--concurrency must be an integer from 1 to 256, got 257");
        assertThatThrownBy(() -> DemoOptions.parse("--concurrency=many"))
                .hasMessage("--concurrency must be an integer from 1 to 256, got 'many'");
        assertThatThrownBy(() -> DemoOptions.parse("--pool-size=101"))
                .hasMessage("--pool-size must be an integer from 1 to 100, got 101");
        assertThatThrownBy(() -> DemoOptions.parse("--duration=100ms"))
                .hasMessageStartingWith("--duration must be a duration from 200ms to 10m")
                .hasMessageEndingWith("got 100ms");
        assertThatThrownBy(() -> DemoOptions.parse("--duration=soon"))
                .hasMessageStartingWith("--duration must be a duration from 200ms to 10m")
                .hasMessageEndingWith("got 'soon'");
        assertThatThrownBy(() -> DemoOptions.parse("--warmup=2m"))
                .hasMessageStartingWith("--warmup must be a duration from 0s to 1m");
    }

    @Test
    void unknownFlagsMissingValuesAndStrayArgumentsAreRefused() {
        assertThatThrownBy(() -> DemoOptions.parse("--threads=4"))
                .isInstanceOf(UsageException.class)
                .hasMessage("unknown flag '--threads'");
        assertThatThrownBy(() -> DemoOptions.parse("--concurrency"))
                .hasMessage("--concurrency needs a value: an integer from 1 to 256");
        assertThatThrownBy(() -> DemoOptions.parse("--duration", "--warmup=1s"))
                .hasMessageStartingWith("--duration needs a value");
        assertThatThrownBy(() -> DemoOptions.parse("fast"))
                .hasMessage("unexpected argument 'fast': flags start with --");
    }

    @Test
    void urlsMustBeTheDatabasesOwnAndAreNeverRepeated() {
        assertThatThrownBy(() -> DemoOptions.parse("--r2dbc-url=postgresql://app:hunter2@db/shop"))
                .hasMessageStartingWith("--r2dbc-url must start with r2dbc:")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DemoOptions.parse("--r2dbc-url=r2dbc:reactivepool:postgresql://app:hunter2@db/shop"))
                .hasMessageContaining("the database's own URL")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DemoDatabase.external("r2dbc:postgresql//app:hunter2@db"))
                .isInstanceOf(UsageException.class)
                .hasMessageNotContaining("hunter2");
        DemoOptions options = DemoOptions.parse("--r2dbc-url=r2dbc:postgresql://app:hunter2@db/shop");
        assertThat(options.toString()).doesNotContain("hunter2").contains("database=external");
        assertThat(DemoDatabase.external("r2dbc:postgresql://app:hunter2@db:5433/shop").description())
                .isEqualTo("external postgresql database shop on db:5433")
                .doesNotContain("hunter2");
    }

    @Test
    void theRecordChecksRangesToo() {
        assertThatThrownBy(() -> new DemoOptions(8, Duration.ofSeconds(1), Duration.ofSeconds(-1), 4, Optional.empty()))
                .isInstanceOf(UsageException.class)
                .hasMessage("--warmup must be from 0s to 1m, got -1s");
    }

    @Test
    void badFlagsOnTheCommandLinePrintTheErrorAndTheUsageAndExitWith2() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Demo.run(new String[] {"--concurrency=0"}, print(out), print(err),
                new ProgressLine(print(out), false));

        assertThat(code).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("error: --concurrency must be an integer from 1 to 256, got 0")
                .contains("usage: java -jar samples/target/reactive-pool-samples.jar [flags]")
                .contains("--r2dbc-url URL");
    }

    @Test
    void helpPrintsTheUsageAndExitsWith0() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Demo.run(new String[] {"--help"}, print(out), print(err), new ProgressLine(print(out), false));

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage:").contains("--concurrency N");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
