/**
 * The pool's implementation; not API, may change without notice. The concurrency design is
 * described in {@code reactive-pool/CONCURRENCY.md}.
 */
package dev.reactivepool.internal;
