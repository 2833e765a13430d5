package dev.reactivepool.samples;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A stand-in for an expensive connection, for the quick start: opening one takes a few
 * milliseconds (on a timer, not a sleeping thread), and it answers queries, pings, rollbacks and
 * close like a database connection would. Everything is asynchronous and non-blocking.
 */
public final class ToyConnection {

    private static final Duration CONNECT_TIME = Duration.ofMillis(5);
    private static final AtomicInteger IDS = new AtomicInteger();

    private final int id;
    private volatile boolean open = true;

    private ToyConnection(int id) {
        this.id = id;
    }

    /**
     * The allocator to give the pool: each subscription opens one new connection.
     *
     * @return a lazy {@code Mono} of a new connection
     */
    public static Mono<ToyConnection> connect() {
        return Mono.delay(CONNECT_TIME).map(tick -> new ToyConnection(IDS.incrementAndGet()));
    }

    /**
     * Runs a query.
     *
     * @param sql the query
     * @return the rows: one line naming the connection that ran it
     */
    public Flux<String> query(String sql) {
        if (!open) {
            return Flux.error(new IllegalStateException("connection " + id + " is closed"));
        }
        return Flux.just("connection " + id + " ran: " + sql);
    }

    /** @return whether the connection is still usable, the pool's validator */
    public Mono<Boolean> ping() {
        return Mono.fromSupplier(() -> open);
    }

    /** @return rolls back whatever the last user left, the pool's resetter */
    public Mono<Void> rollback() {
        return Mono.empty();
    }

    /** @return closes the connection, the pool's destroyer */
    public Mono<Void> close() {
        return Mono.fromRunnable(() -> open = false);
    }

    /** @return the connection's number, from 1 in the order they were opened */
    public int id() {
        return id;
    }

    /** @return whether {@link #close()} has not been called */
    public boolean isOpen() {
        return open;
    }
}
