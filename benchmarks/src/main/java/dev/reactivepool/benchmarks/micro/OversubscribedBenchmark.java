package dev.reactivepool.benchmarks.micro;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.reactivepool.Pool;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.pool.InstrumentedPool;
import reactor.pool.PoolBuilder;

/**
 * Oversubscribed: a pool of {@value #POOL_SIZE} objects and {@value #CONCURRENCY} concurrent
 * acquirers ({@code flatMap} with that concurrency), each doing a {@link TrivialAsyncStep} with
 * its object, so that most acquirers wait and every release hands the object to a waiter. Each
 * pool is used through its own scoped idiom ({@code withLease} / {@code withPoolable}, both
 * {@code usingWhen}). One operation is one acquire, step and release; the figure is operations
 * per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OversubscribedBenchmark {

    /** Objects in the pool. */
    public static final int POOL_SIZE = 4;
    /** Concurrent acquirers. */
    public static final int CONCURRENCY = 256;
    /** Acquire+step+release cycles per benchmark invocation. */
    public static final int OPERATIONS = 4096;

    /** The pool under test. */
    @Param({"reactive-pool", "reactor-pool"})
    public String pool;

    /** The step of issue 5's scenario: a hop to {@link Schedulers#parallel()}. */
    public static final String DEFAULT_STEP = "parallel";

    /**
     * Where the step runs: {@code parallel}, Reactor's {@link Schedulers#parallel()} (one worker
     * per core, each parking when it runs out of work: the figure then depends mostly on how fast
     * parked workers wake up), or {@code event-loop}, one Netty event loop that every step hops to,
     * as when all connections belong to one event loop (the loop never runs dry, so the figure is
     * CPU per cycle, and the pools' own cost shows).
     */
    @Param({DEFAULT_STEP, "event-loop"})
    public String step;

    private Function<Function<Resource, Mono<Integer>>, Publisher<Integer>> withObject;
    private Function<Resource, Mono<Integer>> work;
    private EventLoop loop;
    private Runnable closer;

    /** Builds and warms the pool. */
    @Setup(Level.Trial)
    public void setUp() {
        switch (step) {
            case DEFAULT_STEP -> work = TrivialAsyncStep::on;
            case "event-loop" -> {
                loop = new DefaultEventLoop();
                Scheduler onLoop = Schedulers.fromExecutor(loop);
                work = r -> TrivialAsyncStep.on(r, onLoop);
            }
            default -> throw new IllegalArgumentException("unknown step '" + step + "'");
        }
        AtomicInteger ids = new AtomicInteger();
        Mono<Resource> allocator = Mono.fromSupplier(() -> new Resource(ids.incrementAndGet()));
        switch (pool) {
            case "reactive-pool": {
                Pool<Resource> p = Pool.builder(allocator)
                        .name("bench-oversubscribed")
                        .maxSize(POOL_SIZE).minIdle(POOL_SIZE).maxIdle(POOL_SIZE)
                        .build();
                p.warmup().block();
                withObject = p::withLease;
                closer = () -> p.close().block();
                break;
            }
            case "reactor-pool": {
                InstrumentedPool<Resource> p = PoolBuilder.from(allocator)
                        .sizeBetween(POOL_SIZE, POOL_SIZE)
                        .idleResourceReuseLruOrder()
                        .maxPendingAcquireUnbounded()
                        .buildPool();
                p.warmup().block();
                withObject = work -> p.withPoolable(work::apply);
                closer = () -> p.disposeLater().block();
                break;
            }
            default:
                throw new IllegalArgumentException("unknown pool '" + pool + "'");
        }
    }

    /** Closes the pool. */
    @TearDown(Level.Trial)
    public void tearDown() {
        closer.run();
        if (loop != null) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * {@value #OPERATIONS} acquire+step+release cycles, {@value #CONCURRENCY} at a time. The
     * harness waits for the end of the batch on the benchmark thread, outside the pool.
     *
     * @return how many cycles completed
     */
    @Benchmark
    @OperationsPerInvocation(OPERATIONS)
    public long acquireStepRelease() {
        Long done = Flux.range(0, OPERATIONS)
                .flatMap(i -> withObject.apply(work), CONCURRENCY)
                .count()
                .block();
        if (done == null || done != OPERATIONS) {
            throw new IllegalStateException("completed " + done + " of " + OPERATIONS + " cycles");
        }
        return done;
    }
}
