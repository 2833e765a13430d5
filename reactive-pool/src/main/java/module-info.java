/**
 * reactive-pool: a lock-free, event-loop-friendly object pool for Project Reactor.
 *
 * <p>The API is {@link dev.reactivepool} (and the optional Micrometer binder in
 * {@link dev.reactivepool.micrometer}); {@code dev.reactivepool.internal} is exported only to
 * this project's adapters, which share its option rules.
 */
module dev.reactivepool {
    // Mono, Flux and Publisher appear in the API, so users read them through this module.
    requires transitive reactor.core;
    requires transitive org.reactivestreams;
    // JCTools is shaded into dev.reactivepool.internal.shaded.jctools in the published jar, so it
    // is needed to compile only; its queues use sun.misc.Unsafe, hence jdk.unsupported.
    requires static org.jctools.core;
    requires jdk.unsupported;
    // Optional: whoever binds the metrics to Micrometer has micrometer.core already.
    requires static micrometer.core;
    // Optional: PoolObservation (dev.reactivepool.micrometer) for whoever traces with Micrometer.
    requires static micrometer.observation;
    // PoolMXBean registration (PoolBuilder.registerJmx).
    requires java.management;

    exports dev.reactivepool;
    exports dev.reactivepool.micrometer;
    exports dev.reactivepool.internal to dev.reactivepool.r2dbc, dev.reactivepool.http;
}
