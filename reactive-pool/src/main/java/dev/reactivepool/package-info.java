/**
 * reactive-pool: a lock-free, event-loop-friendly object pool for Project Reactor.
 *
 * <p>Start with {@link dev.reactivepool.Pool#builder(org.reactivestreams.Publisher)}; lease
 * objects with {@link dev.reactivepool.Pool#withLease(java.util.function.Function)} (preferred)
 * or {@link dev.reactivepool.Pool#acquire()} and {@link dev.reactivepool.Lease#release()}.
 * Implementation classes live in {@code dev.reactivepool.internal} and are not API.
 */
package dev.reactivepool;
