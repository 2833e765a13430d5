package dev.reactivepool.benchmarks.micro;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.reactivepool.benchmarks.report.CpuShares;
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
    void aRecordingOfBusyHarnessCodeIsChargedToTheHarnessEvenInsideJdkCalls() throws Exception {
        System.setProperty(CpuProfile.DIR_PROPERTY, dir.toString());
        CpuProfile profile;
        try {
            profile = CpuProfile.startIfRequested("case_a");
        } finally {
            System.clearProperty(CpuProfile.DIR_PROPERTY);
        }
        assertThat(profile).isNotNull();
        AtomicLong counter = new AtomicLong();
        long end = System.nanoTime() + 500_000_000L;
        while (System.nanoTime() < end) {
            counter.incrementAndGet(); // JDK code called by the harness: the harness's
        }
        profile.stopAndDump();

        CpuShares shares = CpuProfile.shares(dir, "case_a", MicroRunner.poolPackages("reactive-pool"));
        assertThat(shares.samples()).isPositive();
        assertThat(shares.harness()).isGreaterThan(0.5);
        assertThat(shares.pool() + shares.reactor() + shares.netty() + shares.harness() + shares.other())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        // another case's tag reads no file
        assertThat(CpuProfile.shares(dir, "case_b", List.of("x.")).known()).isFalse();
    }

    @Test
    void noPropertyNoRecording() {
        assertThat(CpuProfile.startIfRequested("case_c")).isNull();
    }
}
