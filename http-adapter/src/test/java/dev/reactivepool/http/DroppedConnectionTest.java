package dev.reactivepool.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.reactivepool.DroppedLeases;
import dev.reactivepool.PoolMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;
import reactor.test.StepVerifier;

/**
 * A connection the provider emitted and that Reactor dropped or discarded, so that nobody holds
 * it, is closed and its permit comes back. {@code HttpClient} itself never drops one (see
 * docs/http-adapter-dropped-connections.md); these are the paths open to any other subscriber of
 * {@code acquire()}, exercised through Reactor Netty's {@code TcpClient}, which hands the
 * provider's Mono to its caller as it is.
 *
 * <p>Each case runs three times on a host pool of one connection: a lost permit would make the
 * second run wait for ever (it fails after the pending timeout).
 */
class DroppedConnectionTest {

    private final AtomicInteger serverOpen = new AtomicInteger();
    /** Counted down when the provider delivers a connection (CONFIGURED follows the delivery). */
    private final AtomicReference<CountDownLatch> configured = new AtomicReference<>(new CountDownLatch(1));
    private DisposableServer server;
    private ReactivePoolConnectionProvider provider;
    private TcpClient client;

    @BeforeEach
    void start() {
        server = TcpServer.create().host("127.0.0.1").port(0)
                .doOnConnection(connection -> {
                    serverOpen.incrementAndGet();
                    connection.onDispose(serverOpen::decrementAndGet);
                })
                .handle((in, out) -> in.receive().then())
                .bindNow();
        provider = ReactivePoolConnectionProvider.builder("dropped").maxConnections(1)
                .pendingAcquireTimeout(Duration.ofSeconds(5)).build();
        // One client for every connect: an observer changes the configuration hash, and with it
        // the host pool.
        client = TcpClient.create(provider).host("127.0.0.1").port(server.port())
                .observe((connection, state) -> {
                    if (state == ConnectionObserver.State.CONFIGURED) {
                        configured.get().countDown();
                    }
                });
    }

    @AfterEach
    void tearDown() {
        provider.disposeLater().block(Duration.ofSeconds(10));
        server.disposeNow(Duration.ofSeconds(10));
    }

    @Test
    void aConnectionDiscardedByZipComesBackThroughTheDiscardHandler() {
        for (int i = 0; i < 3; i++) {
            Sinks.Empty<Void> connected = Sinks.empty();
            // zip holds the connection when its sibling fails, and discards it.
            Mono<Object> sibling = connected.asMono().then(Mono.error(new IllegalStateException("sibling failed")));
            StepVerifier.create(Mono.zip(client.connect().doFinally(signal -> connected.tryEmitEmpty()), sibling)
                            .contextWrite(DroppedLeases.discardHandler()))
                    .expectErrorMessage("sibling failed")
                    .verify(Duration.ofSeconds(10));
            assertEverythingBack();
        }
    }

    @Test
    void aConnectionDroppedByASubscriberThatCancelledComesBackThroughTheGlobalHook() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            CountDownLatch delivered = new CountDownLatch(1);
            configured.set(delivered);
            AtomicInteger received = new AtomicInteger();
            // The subscriber is disposed before the connection is even asked for; the connection
            // still reaches it (rule 2.8) and Reactor drops it through Operators.onNextDropped.
            Disposable subscriber = deliveredAfterCancel(client.connect()).subscribe(connection -> received.incrementAndGet());
            subscriber.dispose();
            assertThat(delivered.await(10, TimeUnit.SECONDS)).as("the connection was delivered").isTrue();
            assertEverythingBack();
            assertThat(received).as("the disposed subscriber's consumer never ran").hasValue(0);
        }
    }

    @Test
    void aConnectionWhoseSubscriberCancelsBeforeTakingItComesBackWithoutAnyHook() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            CountDownLatch delivered = new CountDownLatch(1);
            configured.set(delivered);
            // Subscribes without requesting: the provider's sink keeps the connection until the
            // subscriber requests or cancels. It cancels, and no discard handler is in its context.
            BaseSubscriber<Connection> notRequesting = new BaseSubscriber<>() {
                @Override
                protected void hookOnSubscribe(Subscription subscription) {
                    // no request
                }
            };
            client.connect().subscribe(notRequesting);
            assertThat(delivered.await(10, TimeUnit.SECONDS)).as("the connection was delivered to the sink").isTrue();
            notRequesting.cancel();
            assertEverythingBack();
        }
    }

    /** Every connection is closed on both sides, its permit is back, and a new one can be had. */
    private void assertEverythingBack() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PoolMetrics m = PoolAwait.only(provider);
            assertThat(m.leased()).as("%s", m).isZero();
            assertThat(m.pending()).as("%s", m).isZero();
            assertThat(m.total()).as("%s", m).isEqualTo(m.idle());
            assertThat(serverOpen).as("connections open on the server; %s", m).hasValue(m.idle());
        });
        Connection next = client.connect().block(Duration.ofSeconds(10));
        assertThat(next).isNotNull();
        next.dispose();
        await().atMost(Duration.ofSeconds(10)).until(() -> PoolAwait.isQuiet(provider) && serverOpen.get() == 0);
    }

    /**
     * The source's signals, delivered only after the subscriber cancelled: the source is
     * subscribed (with the demand the subscriber asked for) when the cancel comes. This is the
     * late delivery Reactive Streams allows after a cancel (rule 2.8), made certain instead of a
     * race; the subscriber drops the value.
     */
    private static <T> Mono<T> deliveredAfterCancel(Mono<T> source) {
        return Mono.fromDirect(subscriber -> {
            AtomicLong demand = new AtomicLong();
            subscriber.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                    demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
                }

                @Override
                public void cancel() {
                    source.subscribe(new CoreSubscriber<T>() {
                        @Override
                        public void onSubscribe(Subscription s) {
                            s.request(demand.get());
                        }

                        @Override
                        public void onNext(T value) {
                            subscriber.onNext(value);
                        }

                        @Override
                        public void onError(Throwable error) {
                            subscriber.onError(error);
                        }

                        @Override
                        public void onComplete() {
                            subscriber.onComplete();
                        }
                    });
                }
            });
        });
    }
}
