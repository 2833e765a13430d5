package dev.reactivepool.http;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpResources;

/**
 * Proves that this module's tests run with BlockHound: blocking on a Reactor Netty event loop
 * (the threads the adapter runs on) is detected. So every other test would fail if the adapter
 * blocked there.
 */
class BlockHoundActiveTest {

    @Test
    void blockingOnAnEventLoopIsDetected() {
        Mono<Void> blocking = Mono.<Void>fromRunnable(() -> {
            try {
                Thread.sleep(1);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).subscribeOn(reactor.core.scheduler.Schedulers.fromExecutor(
                HttpResources.get().onClient(false).next()));

        assertThatThrownBy(() -> blocking.block(Duration.ofSeconds(10)))
                .hasCauseInstanceOf(BlockingOperationError.class);
    }
}
