package dev.reactivepool.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.reactivepool.r2dbc.internal.ConnectionHandOut;
import dev.reactivepool.r2dbc.internal.ConnectionState;
import dev.reactivepool.r2dbc.internal.PooledConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.Wrapped;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * {@code deliverOnConnectionThread}: connections are emitted on their own I/O thread, and a
 * caller cancelling during the hand-over loses nothing.
 */
final class ConnectionThreadDeliveryTest {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static String emittingThread(PooledConnectionFactory factory) {
        return Mono.usingWhen(factory.create(), c -> Mono.just(Thread.currentThread().getName()), Connection::close)
                .block(WAIT);
    }

    @Test
    void withTheOptionAConnectionIsEmittedOnTheDriversIoThreadWithoutItWhereItIsAcquired() {
        PooledConnectionFactory hopping = PooledConnectionFactory.builder(PgSupport.driver(PG.port(), "deliver-hop"))
                .maxSize(1).minIdle(1).deliverOnConnectionThread(true).build();
        PooledConnectionFactory direct = PooledConnectionFactory.builder(PgSupport.driver(PG.port(), "deliver-direct"))
                .maxSize(1).minIdle(1).build();
        try {
            // minIdle's background refill may have started the creation before warmup: wait for
            // the connection to be idle, so that the acquires below are idle hits.
            hopping.warmup().block(WAIT);
            direct.warmup().block(WAIT);
            Awaitility.await().atMost(WAIT).untilAsserted(() -> {
                assertThat(hopping.metrics().idle()).isEqualTo(1);
                assertThat(direct.metrics().idle()).isEqualTo(1);
            });
            String caller = Thread.currentThread().getName();

            assertThat(emittingThread(hopping)).isNotEqualTo(caller).startsWith("reactor-tcp");
            assertThat(emittingThread(direct)).as("idle hit, no hop").isEqualTo(caller);
            assertThat(PgSupport.queryOne(hopping, "SELECT 1", Integer.class).block(WAIT)).isEqualTo(1);
            assertThat(hopping.metrics().leased()).isZero();
        } finally {
            hopping.close().block(WAIT);
            direct.close().block(WAIT);
        }
    }

    @Test
    void aCancelDuringTheHandOverReleasesTheLeaseAndEmitsNothing() {
        List<Runnable> ioTasks = new ArrayList<>();
        Scheduler io = Schedulers.fromExecutor(ioTasks::add);
        AtomicInteger released = new AtomicInteger();
        DetachedLease lease = new DetachedLease(ConnectionState.capture(connectionOn(io)), released);
        ConnectionHandOut delivery = new ConnectionHandOut(Mono.just(lease),
                l -> new PooledConnection(l, "test"), true);

        // Emitted once the I/O thread runs the hand-over.
        StepVerifier.create(delivery)
                .then(() -> {
                    assertThat(ioTasks).hasSize(1);
                    ioTasks.remove(0).run();
                })
                .expectNextCount(1)
                .verifyComplete();
        assertThat(released).hasValue(0);

        // Cancelled while the hand-over waits for the I/O thread: released, nothing emitted.
        StepVerifier.create(delivery)
                .then(() -> assertThat(ioTasks).hasSize(1))
                .thenCancel()
                .verify(WAIT);
        assertThat(released).as("the lease goes back to the pool").hasValue(1);
        StepVerifier.create(delivery)
                .then(() -> {
                    ioTasks.remove(0).run(); // the late task of the cancelled hand-over: a no-op
                    ioTasks.remove(0).run();
                })
                .expectNextCount(1)
                .verifyComplete();
        assertThat(released).hasValue(1);
    }

    private static Connection connectionOn(Scheduler io) {
        return (Connection) Proxy.newProxyInstance(ConnectionThreadDeliveryTest.class.getClassLoader(),
                new Class<?>[] {Connection.class, Wrapped.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "isAutoCommit" -> true;
                    case "getTransactionIsolationLevel" -> IsolationLevel.READ_COMMITTED;
                    case "unwrap" -> args != null && args[0] == Scheduler.class ? io : null;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}
