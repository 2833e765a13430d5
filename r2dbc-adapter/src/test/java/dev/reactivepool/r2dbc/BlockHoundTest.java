package dev.reactivepool.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.r2dbc.spi.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Proves that BlockHound guards this module's tests: a blocking call on a Reactor thread and on
 * the driver's event loop (where pooled connections deliver their rows) fails. Every other test
 * of the module thus also shows that the pool and the adapter never block those threads.
 */
final class BlockHoundTest {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

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

    @Test
    void blockingOnTheDriversEventLoopFails() {
        PooledConnectionFactory factory = PooledConnectionFactory.builder(PgSupport.driver(PG.port(), "blockhound"))
                .maxSize(1).build();
        try {
            Object outcome = Flux.usingWhen(factory.create(),
                            c -> Flux.from(c.createStatement("SELECT 1").execute())
                                    .flatMap(result -> result.map((row, metadata) -> {
                                        try {
                                            Thread.sleep(1); // deliberately blocking where the row is delivered
                                        } catch (InterruptedException e) {
                                            Thread.currentThread().interrupt();
                                        }
                                        return (Object) Thread.currentThread().getName();
                                    })),
                            Connection::close)
                    .onErrorResume(e -> Mono.just(e))
                    .blockLast(Duration.ofSeconds(20));
            assertThat(outcome).isInstanceOf(BlockingOperationError.class);
            assertThat(factory.metrics().leased()).isZero();
        } finally {
            factory.close().block(Duration.ofSeconds(10));
        }
    }
}
