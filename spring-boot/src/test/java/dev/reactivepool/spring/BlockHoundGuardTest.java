package dev.reactivepool.spring;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves that BlockHound guards this module's test JVM (installed by the root pom's
 * blockhound-junit-platform, with Spring Boot's JUnit 6): a blocking call on a Reactor thread
 * fails. The Boot applications of the other tests thus run with it, with no whitelist.
 */
class BlockHoundGuardTest {

    @Test
    void blockingOnAReactorThreadFails() {
        Object outcome = Mono.fromCallable(() -> {
                    Thread.sleep(1); // deliberately blocking, to be caught
                    return (Object) "slept";
                })
                .subscribeOn(Schedulers.parallel())
                .onErrorResume(e -> Mono.just(e))
                .block(Duration.ofSeconds(10));
        assertThat(outcome).isInstanceOf(BlockingOperationError.class);
    }
}
