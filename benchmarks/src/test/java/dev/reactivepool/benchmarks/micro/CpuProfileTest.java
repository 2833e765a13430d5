package dev.reactivepool.benchmarks.micro;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.reactivepool.benchmarks.report.CpuShares;
import jdk.jfr.Recording;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuProfileTest {

    @TempDir
    Path dir;

    @Test
    void classesAreChargedToThePoolReactorNettyOrTheHarness() {
        List<String> ours = MicroRunner.poolPackages("reactive-pool");
        List<String> reactorPool = MicroRunner.poolPackages("reactor-pool");
        assertThat(CpuProfile.categoryOf("dev.reactivepool.internal.DrainLoop", ours)).isEqualTo(CpuProfile.Category.POOL);
        // the benchmarks live under dev.reactivepool too, but are the harness
        assertThat(CpuProfile.categoryOf("dev.reactivepool.benchmarks.micro.RepeatingAcquirer", ours))
                .isEqualTo(CpuProfile.Category.HARNESS);
        assertThat(CpuProfile.categoryOf("reactor.pool.SimpleDequePool", reactorPool)).isEqualTo(CpuProfile.Category.POOL);
        assertThat(CpuProfile.categoryOf("reactor.pool.SimpleDequePool", ours)).isEqualTo(CpuProfile.Category.OTHER);
        assertThat(CpuProfile.categoryOf("reactor.core.publisher.MonoNext", reactorPool))
                .isEqualTo(CpuProfile.Category.REACTOR);
        assertThat(CpuProfile.categoryOf("io.netty.channel.nio.NioEventLoop", ours)).isEqualTo(CpuProfile.Category.NETTY);
    }

    @Test
    void samplesAfterTheMarkOfBusyHarnessCodeAreChargedToTheHarnessEvenInsideJdkCalls() throws Exception {
        Instant mark;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.start();
            mark = Instant.now();
            AtomicLong counter = new AtomicLong();
            long end = System.nanoTime() + 500_000_000L;
            while (System.nanoTime() < end) {
                counter.incrementAndGet(); // JDK code called by the harness: the harness's
            }
            assertThat(CpuProfile.dump(dir, "case_a", mark)).isNotNull();
            // the same recording, marked after its end: no sample counts
            assertThat(CpuProfile.dump(dir, "case_late", Instant.now().plusSeconds(3600))).isNotNull();
        }

        CpuShares shares = CpuProfile.shares(dir, "case_a", MicroRunner.poolPackages("reactive-pool"));
        assertThat(shares.samples()).isPositive();
        assertThat(shares.harness()).isGreaterThan(0.5);
        assertThat(shares.pool() + shares.reactor() + shares.netty() + shares.harness() + shares.other())
                .isCloseTo(1.0, Offset.offset(1e-9));
        assertThat(CpuProfile.shares(dir, "case_late", MicroRunner.poolPackages("reactive-pool")).known()).isFalse();
        // another case's tag reads no file
        assertThat(CpuProfile.shares(dir, "case_b", List.of("x.")).known()).isFalse();
    }

    @Test
    void noPropertyNoProfile() throws Exception {
        assertThat(CpuProfile.requested()).isFalse();
        assertThat(CpuProfile.dumpIfRequested("case_c", Instant.now())).isNull();
    }
}
