package dev.reactivepool.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ProgressLineTest {

    @Test
    void onATerminalTheLineIsRewrittenInPlaceAndWiped() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);

        line.update("run 1: 100 req/s");
        line.update("run 1: 9 req/s");
        line.finish("run 1: done");

        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo("\rrun 1: 100 req/s\rrun 1: 9 req/s  \rrun 1: done   " + System.lineSeparator());
    }

    @Test
    void elsewhereAtMostOneLineASecondIsPrintedAndTheLastAlways() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, clock::get);

        line.update("first");
        clock.addAndGet(999_000_000L);
        line.update("second, within the same second");
        clock.addAndGet(1_000_000L);
        line.update("third, a second after the first");
        line.finish("done");

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
                .containsExactly("first", "third, a second after the first", "done");
    }
}
