/**
 * The pool's implementation; not API, may change without notice. The concurrency design is
 * described in {@code reactive-pool/CONCURRENCY.md}.
 *
 * <p>One class here is shared with the project's other modules: {@link dev.reactivepool.internal.OptionRule},
 * the table of the pool options' ranges, which the HTTP and R2DBC adapters (and the framework
 * integrations) use to check the options they pass to the pool under their own names. When the
 * modules get a {@code module-info}, this package is exported to those modules only.
 */
package dev.reactivepool.internal;
