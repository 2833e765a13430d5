package dev.reactivepool.reliability;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.awaitility.Awaitility.await;

/**
 * The load of a fault test: {@code n} requests (queries, HTTP GETs), some at once, counting the
 * ones that succeeded and keeping the errors of the others in {@link #lastErrors} for the
 * assertion messages.
 */
final class FaultLoad {

    /** The errors of the last run, as {@code toString()}; cleared when a run starts. */
    final Queue<String> lastErrors = new ConcurrentLinkedQueue<>();

    private final Function<Duration, Mono<?>> request;

    /** @param request one request, failing after the given timeout */
    FaultLoad(Function<Duration, Mono<?>> request) {
        this.request = request;
    }

    /** Runs {@code n} requests, {@code concurrency} at once; returns how many succeeded. */
    int run(int n, int concurrency, Duration timeout) {
        AtomicInteger ok = new AtomicInteger();
        lastErrors.clear();
        Flux.range(0, n)
                .flatMap(i -> request.apply(timeout).doOnNext(v -> ok.incrementAndGet())
                        .onErrorResume(e -> {
                            lastErrors.add(e.toString());
                            return Mono.empty();
                        }), concurrency)
                .blockLast(Duration.ofSeconds(60));
        return ok.get();
    }

    /**
     * Runs {@code n} requests while {@code proxy} cuts every connection: the cut starts with the
     * requests in flight and lasts until some of them failed, then the rest run on. Returns how
     * many succeeded.
     */
    int runThroughCut(FaultProxy proxy, int n, int concurrency, Duration timeout) {
        CompletableFuture<Integer> running = Mono.fromCallable(() -> run(n, concurrency, timeout))
                .subscribeOn(Schedulers.boundedElastic()).toFuture();
        proxy.inject(Fault.CUT);
        await().atMost(Duration.ofSeconds(10)).until(() -> !lastErrors.isEmpty());
        proxy.inject(Fault.NONE);
        return running.join();
    }
}
