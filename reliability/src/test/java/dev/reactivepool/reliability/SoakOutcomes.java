package dev.reactivepool.reliability;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

import dev.reactivepool.PoolException;
import io.r2dbc.spi.R2dbcException;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.client.PrematureCloseException;

/**
 * The soak test's own accounting of every operation: started, ended (by success, a documented
 * error, or our own cancellation), and the errors by class, split into documented and
 * unexpected ones.
 *
 * <p>Documented errors: any {@link R2dbcException} from the pooled {@code ConnectionFactory}
 * (the R2DBC SPI's error contract, which the adapter maps pool errors onto); the core pool's
 * {@link PoolException}s (acquire timeout, pool exhausted, pool closed) from the HTTP adapter;
 * Reactor Netty's {@link PrematureCloseException}, {@link AbortedException} and
 * {@link IOException}s (reset, refused) for a connection cut under a request; and {@link TimeoutException} from the caller's own deadline
 * on one operation. Anything else is unexpected and fails the soak.
 */
final class SoakOutcomes {

    final LongAdder started = new LongAdder();
    final LongAdder succeeded = new LongAdder();
    final LongAdder cancelled = new LongAdder();
    final LongAdder documentedErrors = new LongAdder();
    final LongAdder unexpectedErrors = new LongAdder();
    final LongAdder badInputsTried = new LongAdder();
    final LongAdder badInputsRejectedClearly = new LongAdder();
    final Map<String, LongAdder> byKind = new ConcurrentHashMap<>();
    final Map<String, LongAdder> errorsByClass = new ConcurrentHashMap<>();
    final Map<String, String> unexpectedSamples = new ConcurrentHashMap<>();
    /** Latency of successful operations, in microseconds. */
    final Histogram latencyMicros = new ConcurrentHistogram(60_000_000L, 3);

    void kind(String kind) {
        started.increment();
        byKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    void success(long startNanos) {
        succeeded.increment();
        latencyMicros.recordValue(Math.min((System.nanoTime() - startNanos) / 1_000, 60_000_000L));
    }

    void error(Throwable e) {
        String name = e.getClass().getName();
        errorsByClass.computeIfAbsent(name, k -> new LongAdder()).increment();
        if (isDocumented(e)) {
            documentedErrors.increment();
        } else {
            unexpectedErrors.increment();
            unexpectedSamples.putIfAbsent(name, String.valueOf(e));
        }
    }

    static boolean isDocumented(Throwable e) {
        return e instanceof R2dbcException
                || e instanceof PoolException
                || e instanceof PrematureCloseException
                || e instanceof AbortedException
                || e instanceof IOException
                || e instanceof TimeoutException;
    }

    long ended() {
        return succeeded.sum() + cancelled.sum() + documentedErrors.sum() + unexpectedErrors.sum();
    }

    Map<String, Long> snapshot(Map<String, LongAdder> counters) {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
