package dev.reactivepool.r2dbc;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import dev.reactivepool.Lease;
import dev.reactivepool.r2dbc.internal.ConnectionState;
import reactor.core.publisher.Mono;

/**
 * A lease on a connection outside any pool, for tests of the adapter's parts on their own: it
 * counts its releases and does nothing else.
 *
 * @param get      the leased connection's state
 * @param released how many times the lease was released
 */
record DetachedLease(ConnectionState get, AtomicInteger released) implements Lease<ConnectionState> {

    DetachedLease(ConnectionState get) {
        this(get, new AtomicInteger());
    }

    @Override
    public Mono<Void> release() {
        return Mono.fromRunnable(released::incrementAndGet);
    }

    @Override
    public Mono<Void> invalidate() {
        return Mono.empty();
    }

    @Override
    public boolean isReleased() {
        return released.get() > 0;
    }

    @Override
    public Instant createdAt() {
        return Instant.EPOCH;
    }

    @Override
    public Instant acquiredAt() {
        return Instant.EPOCH;
    }

    @Override
    public long timesAcquired() {
        return 1;
    }
}
