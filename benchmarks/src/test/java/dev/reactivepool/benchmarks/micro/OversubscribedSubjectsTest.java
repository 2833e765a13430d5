package dev.reactivepool.benchmarks.micro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class OversubscribedSubjectsTest {

    static String[] pools() {
        return OversubscribedSubjects.NAMES;
    }

    @ParameterizedTest
    @MethodSource("pools")
    void everyAcquirerDoesAllItsCyclesThroughThePoolsFewObjects(String name) throws Exception {
        EventLoopGroup loop = new NioEventLoopGroup(1);
        AtomicInteger steps = new AtomicInteger();
        Executor step = task -> loop.next().execute(() -> {
            steps.incrementAndGet();
            task.run();
        });
        try (OversubscribedSubject subject = OversubscribedSubjects.create(name, OversubscribedBenchmark.POOL_SIZE)) {
            RepeatingAcquirer<?>[] acquirers = new RepeatingAcquirer<?>[OversubscribedBenchmark.ACQUIRERS];
            for (int i = 0; i < acquirers.length; i++) {
                acquirers[i] = subject.newAcquirer(step);
            }
            int cycles = 3;
            for (int round = 0; round < 2; round++) { // acquirers are reused from one invocation to the next
                CycleBatch batch = new CycleBatch(acquirers.length);
                for (RepeatingAcquirer<?> a : acquirers) {
                    a.start(cycles, batch);
                }
                batch.await(Duration.ofSeconds(30));
            }
            assertThat(steps.get()).isEqualTo(2 * cycles * acquirers.length);
            for (RepeatingAcquirer<?> a : acquirers) {
                // every cycle used one of the pre-warmed objects (ids 1..4), never a new one
                assertThat(a.checksum()).isBetween(2L * cycles, 2L * cycles * OversubscribedBenchmark.POOL_SIZE);
            }
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aFailedAcquireFailsTheBatchInsteadOfHangingIt() {
        RepeatingAcquirer<Object> failing = new RepeatingAcquirer<>(Runnable::run) {
            @Override
            void subscribeAcquire(reactor.core.CoreSubscriber<? super Object> subscriber) {
                reactor.core.publisher.Mono.error(new IllegalStateException("pool closed")).subscribe(subscriber);
            }

            @Override
            Resource object(Object lease) {
                throw new AssertionError("never leased");
            }

            @Override
            void subscribeRelease(Object lease, reactor.core.CoreSubscriber<Void> subscriber) {
                throw new AssertionError("never leased");
            }
        };
        CycleBatch batch = new CycleBatch(1);
        failing.start(1, batch);
        assertThatThrownBy(() -> batch.await(Duration.ofSeconds(5)))
                .hasMessageContaining("an acquirer failed")
                .hasRootCauseMessage("pool closed");
    }

    @Test
    void unknownPoolNameIsRejectedWithTheAllowedNames() {
        assertThatThrownBy(() -> OversubscribedSubjects.create("hikari", 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hikari")
                .hasMessageContaining("reactor-pool");
    }
}
