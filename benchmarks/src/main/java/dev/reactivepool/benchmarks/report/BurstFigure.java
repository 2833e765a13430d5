package dev.reactivepool.benchmarks.report;

import java.time.Duration;

/**
 * The HTTP burst scenario for one connection provider: a burst of requests at high concurrency,
 * then a quiet phase at low concurrency, then the connections the server still sees open.
 *
 * @param subject          the connection provider
 * @param maxConnections   its connection limit
 * @param maxIdle          its idle cap as configured, or {@code -1} if it has none
 * @param highConcurrency  requests in flight during the burst
 * @param lowConcurrency   requests in flight after the burst
 * @param high             how long the burst lasted
 * @param low              how long the quiet phase lasted
 * @param requests         requests completed in both phases
 * @param errors           requests that failed
 * @param peakOpen         the most connections open at once, server-side
 * @param openAtEnd        connections open once the last request finished, server-side
 * @param opened           connections the server accepted during the scenario
 */
public record BurstFigure(String subject, int maxConnections, int maxIdle, int highConcurrency, int lowConcurrency,
                          Duration high, Duration low,
                          long requests, long errors, int peakOpen, int openAtEnd, long opened) {
}
