package dev.reactivepool.samples;

import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;

/**
 * A stand-in for a multiplexed connection (an HTTP/2 connection, a Redis connection): it carries
 * several requests at once, each on a stream of its own, and remembers the most streams it ever
 * had open together. Everything is asynchronous and non-blocking.
 */
public final class MultiplexedConnection {

    private static final AtomicInteger IDS = new AtomicInteger();

    private final int id;
    private final AtomicInteger openStreams = new AtomicInteger();
    private final AtomicInteger peakStreams = new AtomicInteger();
    private volatile boolean open = true;

    private MultiplexedConnection(int id) {
        this.id = id;
    }

    /**
     * The allocator to give the pool: each subscription opens one new connection.
     *
     * @return a lazy {@code Mono} of a new connection
     */
    public static Mono<MultiplexedConnection> connect() {
        return Mono.fromSupplier(() -> new MultiplexedConnection(IDS.incrementAndGet()));
    }

    /**
     * Sends a request on a stream of its own; other requests may share the connection meanwhile.
     *
     * @param path    what to ask for
     * @param answers completes when the server answers (a test or sample controls the timing)
     * @return the answer, naming the connection that carried it
     */
    public Mono<String> request(String path, Mono<Void> answers) {
        return Mono.defer(() -> {
            if (!open) {
                return Mono.error(new IllegalStateException("connection " + id + " is closed"));
            }
            peakStreams.accumulateAndGet(openStreams.incrementAndGet(), Math::max);
            return answers.then(Mono.fromSupplier(() -> "connection " + id + " answered " + path))
                    .doFinally(signal -> openStreams.decrementAndGet());
        });
    }

    /** @return this connection's number, from 1 in the order connections were opened */
    public int id() {
        return id;
    }

    /** @return the most requests this connection carried at once */
    public int peakStreams() {
        return peakStreams.get();
    }

    /** @return closes the connection, the pool's destroyer */
    public Mono<Void> close() {
        return Mono.fromRunnable(() -> open = false);
    }
}
