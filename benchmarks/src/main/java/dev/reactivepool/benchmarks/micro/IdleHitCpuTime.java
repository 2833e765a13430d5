package dev.reactivepool.benchmarks.micro;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The idle-hit cycle measured in CPU time of the benchmark threads rather than wall time: on a
 * machine shared with other work, a descheduled thread costs wall time but no CPU time, so CPU
 * nanoseconds per cycle move far less between runs than JMH's wall-clock figures. Not a
 * replacement for {@link IdleHitBenchmark} (no JMH forks or blackholes; the cycle's result is
 * consumed by a running hash): a quick comparison of pools and of builds, round by round.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.reactivepool.benchmarks.micro.IdleHitCpuTime
 * THREADS ROUNDS SECONDS POOL...}: for each round, each pool runs SECONDS and prints CPU ns per
 * cycle and wall ns per cycle per thread (round 0 is a warmup; under load the JIT may need several
 * rounds more). A reactive-pool variant name followed by {@code +nohold} is that variant with
 * {@code holdTimeSampling(0)}.
 */
public final class IdleHitCpuTime {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private IdleHitCpuTime() {
    }

    /**
     * Runs the comparison.
     *
     * @param args threads, rounds, seconds per pool and round, then the pool names
     * @throws Exception if a pool fails
     */
    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        double seconds = Double.parseDouble(args[2]);
        List<String> names = List.of(args).subList(3, args.length);
        List<IdleHitSubject> subjects = new ArrayList<>();
        for (String name : names) {
            subjects.add(name.endsWith("+nohold")
                    ? new ReactivePoolIdleHit(name, IdleHitSubjects.POOL_SIZE, b -> ReactivePoolVariants.customizer(
                            name.substring(0, name.length() - 7)).apply(b).holdTimeSampling(0))
                    : IdleHitSubjects.create(name));
        }
        for (int round = 0; round <= rounds; round++) {
            StringBuilder line = new StringBuilder(round == 0 ? "warmup" : "round " + round);
            for (int i = 0; i < names.size(); i++) {
                double[] r = measure(subjects.get(i), threads, (long) (seconds * 1e9));
                line.append(String.format(Locale.ROOT, " | %s cpu %.1f wall %.1f", names.get(i), r[0], r[1]));
            }
            System.out.println(line);
        }
        for (IdleHitSubject subject : subjects) {
            subject.close();
        }
    }

    /** CPU ns per cycle (all threads' CPU over all cycles) and wall ns per cycle per thread. */
    private static double[] measure(IdleHitSubject subject, int threads, long nanos) throws Exception {
        AtomicLong cpu = new AtomicLong();
        AtomicLong cycles = new AtomicLong();
        AtomicLong sink = new AtomicLong();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        AtomicLong wall = new AtomicLong();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    // Made on the worker itself: its reusable subscribers are written every cycle,
                    // and made one after another on one thread they would share a cache line.
                    IdleHitCycle cycle = subject.newCycle();
                    start.await();
                    long begin = System.nanoTime();
                    long cpuBegin = THREADS.getCurrentThreadCpuTime();
                    long n = 0;
                    int hash = 0;
                    while (System.nanoTime() - begin < nanos) {
                        for (int k = 0; k < 10_000; k++) {
                            hash += System.identityHashCode(cycle.acquireAndRelease());
                        }
                        n += 10_000;
                    }
                    cpu.addAndGet(THREADS.getCurrentThreadCpuTime() - cpuBegin);
                    cycles.addAndGet(n);
                    sink.addAndGet(hash);
                    wall.accumulateAndGet(System.nanoTime() - begin, Math::max);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (sink.get() == 42) {
            System.out.print("");
        }
        return new double[] {(double) cpu.get() / cycles.get(), (double) wall.get() * threads / cycles.get()};
    }
}
