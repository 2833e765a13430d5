package dev.reactivepool.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.reactivepool.PoolMetrics;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientState;

/**
 * A request cancelled from another thread at the moment its response arrives. {@code HttpClient}
 * then disposes the connection from the cancelling thread, which queues a close on the event loop
 * behind the response already being read; the response completes, the connection goes back to the
 * pool, and the queued close used to kill it there (or under the next request, as a
 * {@code PrematureCloseException}). The connection must survive and be reused.
 *
 * <p>The interleaving is forced, not hoped for: an observer holds the event loop at
 * RESPONSE_RECEIVED (before {@code HttpClient} completes its connect sink) until the test thread
 * has cancelled, so the dispose is issued while the rest of the response is still to be read.
 */
class LateCancellationTest {

    @RegisterExtension
    final LoopbackHttp http = new LoopbackHttp();

    @ParameterizedTest(name = "connection already used before: {0}")
    @ValueSource(booleans = {false, true})
    void aCancellationThatLosesTheRaceWithTheResponseDoesNotCloseTheReturnedConnection(boolean reused)
            throws InterruptedException {
        http.serve(server -> server
                .handle((req, res) -> res.sendString(Mono.just("ok"))));
        ReactivePoolConnectionProvider provider = http.provide(
                ReactivePoolConnectionProvider.builder("late-cancel").maxConnections(1));
        CountDownLatch responseArrived = new CountDownLatch(1);
        AtomicBoolean armed = new AtomicBoolean();
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicBoolean heldTooLong = new AtomicBoolean();
        // One client for every request: an observer changes the client's configuration hash, and
        // with it the pool its requests use.
        HttpClient client = http.client()
                .observe((connection, state) -> {
                    if (state == HttpClientState.RESPONSE_RECEIVED && armed.compareAndSet(true, false)) {
                        responseArrived.countDown();
                        // Busy-wait (not park, not even Thread.onSpinWait, which BlockHound
                        // reports: this is the event loop) until the test thread has cancelled.
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                        while (!cancelled.get()) {
                            if (System.nanoTime() > deadline) {
                                heldTooLong.set(true);
                                break;
                            }
                        }
                    }
                });
        if (reused) {
            assertThat(client.get().uri("/").responseContent().aggregate().asString().block(Duration.ofSeconds(10)))
                    .isEqualTo("ok");
            PoolAwait.awaitQuiet(provider);
        }

        armed.set(true);
        Disposable request = client.get().uri("/").responseContent().aggregate().asString().subscribe();
        assertThat(responseArrived.await(10, TimeUnit.SECONDS)).as("the response arrived").isTrue();
        request.dispose();
        cancelled.set(true);

        PoolAwait.awaitQuiet(provider);
        assertThat(heldTooLong).as("the event loop was released by the test").isFalse();
        // The next request goes over the same connection, which is still open on both sides.
        assertThat(client.get().uri("/").responseContent().aggregate().asString().block(Duration.ofSeconds(10)))
                .isEqualTo("ok");
        PoolAwait.awaitQuiet(provider);
        PoolMetrics metrics = PoolAwait.only(provider);
        assertThat(http.stats.opened).as("connections accepted by the server; %s", metrics).hasValue(1);
        assertThat(http.stats.open).as("connections open on the server; %s", metrics).hasValue(1);
        assertThat(metrics.created()).isEqualTo(1);
        assertThat(metrics.destroyed()).isZero();
        assertThat(metrics.idle()).isEqualTo(1);
    }
}
