package dev.reactivepool.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.r2dbc.spi.Connection;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code connectionAffinity} (off by default): an acquire made on a connection's event loop gets
 * an idle connection of that loop, even when a connection of another loop has been idle longer.
 */
final class ConnectionAffinityTest {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** The thread the connection's I/O (and so its query results) runs on. */
    private static String ioThreadOf(Connection connection) {
        return Flux.from(connection.createStatement("SELECT 1").execute())
                .flatMap(result -> result.map((row, meta) -> Thread.currentThread().getName()))
                .blockLast(WAIT);
    }

    /**
     * Leaves two connections of two different loops idle, the one of loop A longer, then acquires
     * on loop B (inside a query result of B's connection) and reports the I/O thread of the
     * connection it got, and the thread it acquired on.
     */
    private static String[] acquireOnTheLoopOfTheLaterOne(PooledConnectionFactory factory) {
        factory.warmup().block(WAIT);
        Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(factory.metrics().idle()).isEqualTo(4));
        List<Connection> held = new ArrayList<>();
        List<String> loops = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Connection c = factory.create().block(WAIT);
            held.add(c);
            loops.add(ioThreadOf(c));
        }
        int a = 0;
        int b = 1;
        while (b < 4 && loops.get(b).equals(loops.get(a))) {
            b++;
        }
        assertThat(b).as("two connections on different event loops: " + loops).isLessThan(4);
        // Every connection goes idle once more, so that each now sits with its loop.
        for (int i = 0; i < 4; i++) {
            if (i != a && i != b) {
                Mono.from(held.get(i).close()).block(WAIT);
            }
        }
        Mono.from(held.get(a).close()).block(WAIT); // A's connection: idle longer
        Connection connectionB = held.get(b);
        String[] got = Flux.from(connectionB.createStatement("SELECT 1").execute())
                .flatMap(result -> result.map((row, meta) -> 1))
                .then(Mono.from(connectionB.close()))
                .then(Mono.defer(() -> {
                    String acquiredOn = Thread.currentThread().getName(); // loop B, where the result arrived
                    return Mono.usingWhen(factory.create(),
                            c -> Mono.fromCallable(() -> new String[] {acquiredOn, ioThreadOf(c)})
                                    .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()),
                            Connection::close);
                }))
                .block(WAIT);
        assertThat(got[0]).as("acquired on loop B").isEqualTo(loops.get(b));
        return got;
    }

    @Test
    void anAcquireOnAConnectionsLoopGetsAnIdleConnectionOfThatLoop() {
        PooledConnectionFactory factory = PooledConnectionFactory.builder(PgSupport.driver(PG.port(), "affinity-on"))
                .maxSize(4).minIdle(4).connectionAffinity(true).build();
        try {
            String[] got = acquireOnTheLoopOfTheLaterOne(factory);

            assertThat(got[1]).as("the connection of the acquiring loop").isEqualTo(got[0]);
        } finally {
            factory.close().block(WAIT);
        }
    }

    @Test
    void withoutAffinityTheConnectionIdleLongestComesFirst() {
        PooledConnectionFactory factory = PooledConnectionFactory.builder(PgSupport.driver(PG.port(), "affinity-off"))
                .maxSize(4).minIdle(4).build(); // the default
        try {
            String[] got = acquireOnTheLoopOfTheLaterOne(factory);

            assertThat(got[1]).as("FIFO: loop A's connection").isNotEqualTo(got[0]);
        } finally {
            factory.close().block(WAIT);
        }
    }
}
