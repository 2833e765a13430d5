package dev.reactivepool.benchmarks.micro;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Oversubscribed: a pool of {@value #POOL_SIZE} objects and {@value #ACQUIRERS} independent
 * acquirers ({@link RepeatingAcquirer}), each acquiring, doing a step with its object on another
 * thread, releasing, and acquiring again; most acquirers wait, and every release hands the object
 * to a waiter. No operator joins the acquirers (no {@code flatMap}), so the harness costs little
 * besides the step's hop. One operation is one acquire, step and release; the figure is operations
 * per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OversubscribedBenchmark {

    /** Objects in the pool. */
    public static final int POOL_SIZE = 4;
    /** Independent acquirers. */
    public static final int ACQUIRERS = 256;
    /** Cycles of each acquirer per benchmark invocation. */
    public static final int CYCLES_PER_ACQUIRER = 32;
    /** Acquire+step+release cycles per benchmark invocation. */
    public static final int OPERATIONS = ACQUIRERS * CYCLES_PER_ACQUIRER;

    /** The step on one Netty event loop, the headline case. */
    public static final String EVENT_LOOP = "event-loop";
    /** The step on {@link Schedulers#parallel()}. */
    public static final String PARALLEL = "parallel";

    private static final Duration BATCH_TIMEOUT = Duration.ofSeconds(60);

    /** The pool under test, one of {@link OversubscribedSubjects#NAMES} (the runner passes them all). */
    @Param({"reactive-pool", "reactor-pool"})
    public String pool;

    /**
     * Where the step runs: {@value #EVENT_LOOP}, one Netty NIO event loop that every step hops to,
     * as when all connections belong to one loop (the loop never runs dry, so the figure is CPU per
     * cycle and the pools' own cost shows); or {@value #PARALLEL}, Reactor's
     * {@link Schedulers#parallel()} (one worker per core, picked in turn, each parking when it runs
     * out of work, so the figure also depends on how fast parked workers wake up).
     */
    @Param({EVENT_LOOP, PARALLEL})
    public String step;

    private OversubscribedSubject subject;
    private EventLoopGroup loop;
    private RepeatingAcquirer<?>[] acquirers;
    private Instant measuredFrom;

    /** Builds and warms the pool and its acquirers. */
    @Setup(Level.Trial)
    public void setUp() {
        Executor onStep = switch (step) {
            case EVENT_LOOP -> {
                loop = new NioEventLoopGroup(1);
                yield loop.next();
            }
            case PARALLEL -> {
                Scheduler parallel = Schedulers.parallel();
                yield parallel::schedule;
            }
            default -> throw new IllegalArgumentException("unknown step '" + step + "'; expected "
                    + EVENT_LOOP + " or " + PARALLEL);
        };
        subject = OversubscribedSubjects.create(pool, POOL_SIZE);
        acquirers = new RepeatingAcquirer<?>[ACQUIRERS];
        for (int i = 0; i < ACQUIRERS; i++) {
            acquirers[i] = subject.newAcquirer(onStep);
        }
    }

    /**
     * Marks the start of the first measurement iteration: the CPU profile counts from there.
     *
     * @param iteration the iteration about to run
     */
    @Setup(Level.Iteration)
    public void markMeasurement(IterationParams iteration) {
        if (measuredFrom == null && iteration.getType() == IterationType.MEASUREMENT) {
            measuredFrom = Instant.now();
        }
    }

    /**
     * Writes the profile, closes the pool and the event loop.
     *
     * @throws IOException if the profile cannot be written
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (measuredFrom != null) {
            CpuProfile.dumpIfRequested(tag(pool, step), measuredFrom);
            measuredFrom = null;
        }
        subject.close();
        if (loop != null) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * {@value #ACQUIRERS} acquirers doing {@value #CYCLES_PER_ACQUIRER} cycles each; the benchmark
     * thread waits for the last one.
     *
     * @return a checksum of the objects used
     * @throws Exception if a cycle fails or the batch takes over a minute
     */
    @Benchmark
    @OperationsPerInvocation(OPERATIONS)
    public long acquireStepRelease() throws Exception {
        CycleBatch batch = new CycleBatch(ACQUIRERS);
        for (RepeatingAcquirer<?> a : acquirers) {
            a.start(CYCLES_PER_ACQUIRER, batch);
        }
        batch.await(BATCH_TIMEOUT);
        long sum = 0;
        for (RepeatingAcquirer<?> a : acquirers) {
            sum += a.checksum();
        }
        return sum;
    }

    /**
     * The name of a case's profile files.
     *
     * @param pool the pool
     * @param step the step
     * @return for example {@code reactor-pool_event-loop}
     */
    public static String tag(String pool, String step) {
        return pool + "_" + step;
    }
}
