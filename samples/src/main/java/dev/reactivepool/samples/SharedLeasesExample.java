package dev.reactivepool.samples;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import dev.reactivepool.Pool;
import dev.reactivepool.PoolMetrics;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The "Shared leases" example (docs/shared-leases.md), compiled and run: a pool of three
 * multiplexed connections, each carrying up to four requests at once. Requests are spread over
 * the connections, the least busy first; the pool's metrics count leases and connections apart.
 */
public final class SharedLeasesExample {

    /**
     * What one run saw while every request was in flight.
     *
     * @param peakStreams the most requests each connection carried at once, by connection number
     * @param whileBusy   the pool's metrics while every request was in flight
     * @param answers     every request's answer
     */
    public record Spread(Map<Integer, Integer> peakStreams, PoolMetrics whileBusy, List<String> answers) {
    }

    private SharedLeasesExample() {
    }

    /**
     * Sends {@code requests} requests at once (at most 12: three connections of four streams)
     * and reports how they were spread.
     *
     * @param requests how many requests are in flight together, 1 to 12
     * @return the spread
     */
    public static Spread run(int requests) {
        Pool<MultiplexedConnection> pool = Pool.builder(MultiplexedConnection.connect())
                .maxSize(3)                    // three connections at most
                .maxLeasesPerObject(4)         // each carrying up to four requests at once
                .minIdle(3)
                .destroyer(MultiplexedConnection::close)
                .build();
        try {
            pool.warmup().block(Duration.ofSeconds(5)); // three open connections, no lease yet
            Sinks.Empty<Void> server = Sinks.empty();     // answers every request when told to
            Map<Integer, MultiplexedConnection> used = new ConcurrentHashMap<>();

            CompletableFuture<List<String>> answers = Flux.range(1, requests)
                    .flatMap(i -> pool.withLease(connection -> {
                        used.put(connection.id(), connection);
                        return connection.request("/items/" + i, server.asMono());
                    }), requests)
                    .collectList()
                    .toFuture();

            PoolMetrics whileBusy = pool.metrics();    // leases() == requests, leased() == connections used
            server.tryEmitEmpty();
            List<String> all = answers.join();

            Map<Integer, Integer> peaks = new TreeMap<>();
            used.forEach((id, connection) -> peaks.put(id, connection.peakStreams()));
            return new Spread(peaks, whileBusy, all);
        } finally {
            pool.dispose();
        }
    }
}
