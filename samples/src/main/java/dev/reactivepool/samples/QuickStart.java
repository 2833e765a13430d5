package dev.reactivepool.samples;

import java.time.Duration;
import java.util.List;

import dev.reactivepool.Lease;
import dev.reactivepool.Pool;
import dev.reactivepool.PoolMetrics;
import dev.reactivepool.micrometer.PoolMeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The README's quick start, compiled and run: build a pool, use it with {@code withLease} and
 * with {@code acquire()} + {@code usingWhen}, read its metrics and bind them to Micrometer.
 * The pooled type is {@link ToyConnection}, a stand-in for a real connection.
 */
public final class QuickStart {

    private QuickStart() {
    }

    /**
     * Runs the quick start and prints what it did.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Outcome outcome = run();
        outcome.rows().forEach(System.out::println);
        System.out.println(outcome.metrics());
        System.out.println("reactivepool.acquired = " + outcome.acquiredMeter());
    }

    /**
     * What the quick start did.
     *
     * @param rows          the rows its queries returned
     * @param metrics       the pool's metrics after the queries
     * @param acquiredMeter the Micrometer counter {@code reactivepool.acquired} after the queries
     */
    public record Outcome(List<String> rows, PoolMetrics metrics, double acquiredMeter) {
    }

    /**
     * Runs the quick start. Blocks at the end to collect the results: call it from a thread that
     * may block (a main thread or a test), never from an event loop.
     *
     * @return what it did
     */
    public static Outcome run() {
        // --- build ---
        Pool<ToyConnection> pool = Pool.builder(ToyConnection.connect())
                .maxSize(10).maxIdle(5).minIdle(2)
                .validator(conn -> conn.ping())          // async check on acquire: T -> Publisher<Boolean>
                .resetter(conn -> conn.rollback())       // async cleanup on release: T -> Publisher<Void>
                .destroyer(ToyConnection::close)         // async close: T -> Publisher<Void>
                .build();

        // --- use: withLease returns the connection on completion, error and cancellation ---
        Flux<String> rows = pool.withLease(conn -> conn.query("select 1"));

        // --- or by hand: acquire() + usingWhen, with the same guarantees ---
        Mono<String> row = Mono.usingWhen(
                pool.acquire(),
                lease -> lease.get().query("select 2").next(),
                Lease::release);

        // --- observe: a metrics snapshot, and Micrometer meters tagged pool=<name> ---
        MeterRegistry registry = new SimpleMeterRegistry();
        new PoolMeterBinder(pool).bindTo(registry);

        List<String> all = Flux.concat(rows, row, Flux.range(0, 20).flatMap(i -> pool.withLease(
                        conn -> conn.query("select " + (3 + i)))))
                .collectList()
                .block(Duration.ofSeconds(10));
        PoolMetrics metrics = pool.metrics();
        double acquired = registry.get("reactivepool.acquired").functionCounter().count();

        pool.close().block(Duration.ofSeconds(10));
        return new Outcome(all, metrics, acquired);
    }
}
