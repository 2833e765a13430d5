package dev.reactivepool.samples;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.reactivepool.Lease;
import dev.reactivepool.Pool;
import dev.reactivepool.PoolMetrics;

/**
 * The "Operations on a running pool" page's example, compiled and run: a pool registered with
 * JMX whose connections are retired after a credential rotation, which is resized, and suspended
 * during a switchover while an acquirer waits.
 */
public final class OperationsExample {

    private OperationsExample() {
    }

    /**
     * Runs the example once.
     *
     * @return the metrics of the example's pool before it closes
     */
    public static PoolMetrics run() {
        Pool<ToyConnection> pool = Pool.builder(ToyConnection.connect())
                .name("orders-db")
                .maxSize(10).maxSizeLimit(50)   // resize may grow the pool up to 50
                .registerJmx(true)              // dev.reactivepool:type=Pool,name="orders-db"
                .destroyer(ToyConnection::close)
                .build();
        try {
            Lease<ToyConnection> held = pool.acquire().block(Duration.ofSeconds(5));

            // The password was rotated: no connection opened before this line is handed out again;
            // idle ones close now, the held one when it is released.
            pool.evictAll();
            held.release().block(Duration.ofSeconds(5));

            pool.resize(20, 10, 2);             // more traffic: 20 connections, 10 idle, 2 kept open

            pool.suspend();                     // switchover: acquires wait, nothing is opened
            CompletableFuture<Lease<ToyConnection>> waiter = pool.acquire().toFuture();
            boolean servedWhileSuspended = waiter.isDone();
            pool.resume();                      // done: waiters are served in order
            waiter.join().release().block(Duration.ofSeconds(5));
            if (servedWhileSuspended) {
                throw new IllegalStateException("an acquire was served while the pool was suspended");
            }
            return pool.metrics();
        } finally {
            pool.close().block(Duration.ofSeconds(5));
        }
    }
}
