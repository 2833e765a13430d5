package dev.reactivepool.samples;

import java.time.Duration;

import dev.reactivepool.DroppedLeases;
import dev.reactivepool.Lease;
import dev.reactivepool.Pool;
import dev.reactivepool.PoolMetrics;
import reactor.core.publisher.Mono;

/**
 * The example of docs/dropped-leases.md, compiled and run: a lease taken with {@code acquire()}
 * and combined with other work by {@code Mono.zip}, whose sibling fails. {@code zip} then
 * discards the lease it holds; the chain's discard handler gives it back to the pool.
 */
public final class DroppedLeasesExample {

    private DroppedLeasesExample() {
    }

    /**
     * Runs the example once and returns the pool's metrics afterwards: nothing leased, one lease
     * reclaimed.
     *
     * @return the metrics of the example's pool after the failed request
     */
    public static PoolMetrics run() {
        Pool<ToyConnection> pool = Pool.builder(ToyConnection.connect())
                .maxSize(2).minIdle(1)
                .lostLeaseDetection(true)   // also catch leases that publishOn loses on cancel
                .build();
        try {
            pool.warmup().block(Duration.ofSeconds(5)); // (so that the lease is there before the failure)
            Mono<String> stock = Mono.error(new IllegalStateException("stock service down"));

            Mono<String> answer = Mono.zip(pool.acquire(), stock)
                    .flatMap(pair -> answer(pair.getT1(), pair.getT2()))
                    .contextWrite(DroppedLeases.discardHandler()); // leases zip discards go back

            answer.onErrorResume(e -> Mono.just("unavailable")).block(Duration.ofSeconds(5));
            return pool.metrics();
        } finally {
            pool.dispose();
        }
    }

    private static Mono<String> answer(Lease<ToyConnection> lease, String stock) {
        return lease.get().query("select name from item").next()
                .map(name -> name + ": " + stock)
                .flatMap(line -> lease.release().thenReturn(line));
    }
}
