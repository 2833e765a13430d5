package dev.reactivepool.benchmarks.micro;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * Idle-hit acquire+release: every thread takes an idle object and gives it back at once, so the
 * pool never waits and never creates. Run at 1 and 2 threads by the runner (which sets
 * {@code threads} and {@code forks}), with the GC profiler for bytes per operation.
 *
 * <p>The reactive pools are driven by reusable subscribers ({@link ValueCatcher}), so the harness
 * itself allocates nothing and the figures are the pools' own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IdleHitBenchmark {

    /**
     * The pool under test, one of {@link IdleHitSubjects#NAMES}; the runner passes them all, so a
     * variant added to {@link ReactivePoolVariants} is measured without changing this list.
     */
    @Param({"reactive-pool", "reactor-pool", "stormpot", "stormpot-noexpiry", "commons-pool2"})
    public String pool;

    private IdleHitSubject subject;

    /**
     * Builds and warms the pool.
     *
     * @throws Exception if the pool cannot be built
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        subject = IdleHitSubjects.create(pool);
    }

    /**
     * Closes the pool.
     *
     * @throws Exception if the pool fails to close
     */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        subject.close();
    }

    /** One benchmark thread's cycle and reusable subscribers. */
    @State(Scope.Thread)
    public static class PerThread {

        IdleHitCycle cycle;

        /**
         * Takes a cycle from the shared pool.
         *
         * @param benchmark the shared state holding the pool
         */
        @Setup(Level.Trial)
        public void setUp(IdleHitBenchmark benchmark) {
            cycle = benchmark.subject.newCycle();
        }
    }

    /**
     * One idle-hit acquire followed by the release of the same object.
     *
     * @param thread this thread's cycle
     * @return the leased object, consumed by JMH
     * @throws Exception if the pool fails
     */
    @Benchmark
    public Object acquireRelease(PerThread thread) throws Exception {
        return thread.cycle.acquireAndRelease();
    }
}
