/**
 * Runnable samples of reactive-pool: the side-by-side demo ({@link dev.reactivepool.samples.Demo}),
 * a small service on Reactor Netty, the README's quick start, and a Kotlin coroutine sample.
 */
package dev.reactivepool.samples;
