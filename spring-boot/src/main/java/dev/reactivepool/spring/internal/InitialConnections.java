package dev.reactivepool.spring.internal;

import java.util.concurrent.atomic.AtomicInteger;

import dev.reactivepool.r2dbc.PooledConnectionFactory;
import io.r2dbc.spi.Connection;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * {@code spring.r2dbc.pool.initial-size}: opens that many connections at startup, as r2dbc-pool
 * does, by borrowing them all at once and returning them together; they stay idle (up to
 * {@code max-idle}) until the idle timeout closes them. Unlike {@code min-idle}, nothing refills
 * them afterwards.
 */
public final class InitialConnections {

    private InitialConnections() {
    }

    /**
     * @param factory the pool
     * @param count   how many connections to open, 0 to the pool's maximum size
     * @return a lazy Mono completing when all were opened and returned; if one fails, the others
     *         are returned at once and the Mono fails
     */
    public static Mono<Void> open(PooledConnectionFactory factory, int count) {
        if (count <= 0) {
            return Mono.empty();
        }
        return Mono.defer(() -> {
            // Each borrower holds its connection until all are borrowed, so that the pool opens
            // count connections instead of reusing the first.
            Sinks.Empty<Void> allBorrowed = Sinks.empty();
            AtomicInteger borrowed = new AtomicInteger();
            return Flux.range(0, count)
                    .flatMap(i -> Mono.usingWhen(factory.create(),
                            connection -> {
                                if (borrowed.incrementAndGet() == count) {
                                    allBorrowed.tryEmitEmpty();
                                }
                                return allBorrowed.asMono();
                            },
                            Connection::close), count)
                    .then();
        });
    }
}
