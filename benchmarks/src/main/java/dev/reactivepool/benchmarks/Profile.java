package dev.reactivepool.benchmarks;

import java.time.Duration;

/**
 * How long and how often each benchmark runs. {@link #QUICK} takes about 15 minutes on 2 cores;
 * {@link #FULL} trades time for tighter error bars.
 *
 * @param name                  the flag value
 * @param jmhWarmupIterations   JMH warmup iterations per fork
 * @param jmhIterations         JMH measurement iterations per fork
 * @param jmhIterationTime      the length of one JMH iteration
 * @param forksOneThread        JMH forks for single-threaded runs
 * @param forksTwoThreads       JMH forks for two-threaded runs (3 or more: reactor-pool's
 *                              two-thread figures jump between two levels from fork to fork)
 * @param endToEndWarmup        warmup of each end-to-end case
 * @param endToEndMeasurement   measured window of each end-to-end case
 * @param burstHigh             the HTTP burst scenario's burst (256 in flight)
 * @param burstLow              the HTTP burst scenario's quiet phase after it (8 in flight)
 */
public record Profile(String name, int jmhWarmupIterations, int jmhIterations, Duration jmhIterationTime,
                      int forksOneThread, int forksTwoThreads, Duration endToEndWarmup,
                      Duration endToEndMeasurement, Duration burstHigh, Duration burstLow) {

    /** The default: about 15 minutes on 2 cores. */
    public static final Profile QUICK = new Profile("quick", 3, 5, Duration.ofSeconds(1), 2, 3,
            Duration.ofSeconds(5), Duration.ofSeconds(8), Duration.ofSeconds(5), Duration.ofSeconds(10));

    /** The full profile: about 50 minutes on 2 cores. */
    public static final Profile FULL = new Profile("full", 5, 10, Duration.ofSeconds(2), 3, 5,
            Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(10));

    /** A few seconds per benchmark, to check that everything runs; its figures mean nothing. */
    public static final Profile SMOKE = new Profile("smoke", 1, 1, Duration.ofMillis(200), 1, 1,
            Duration.ofMillis(300), Duration.ofMillis(700), Duration.ofMillis(500), Duration.ofMillis(1000));
}
