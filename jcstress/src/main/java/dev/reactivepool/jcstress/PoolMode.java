package dev.reactivepool.jcstress;

import java.util.function.UnaryOperator;

import dev.reactivepool.Affinity;
import dev.reactivepool.PoolBuilder;

/**
 * The pool configurations a race runs in. A race written once (an {@code ...Race} class) runs in
 * several modes, one jcstress test per mode, each with its own outcomes.
 */
enum PoolMode {

    /** The defaults: one lease per object, no affinity. */
    PLAIN(b -> b),

    /** {@code affinity(THREAD)}: the object lives in one thread's lane; the other thread steals it or is handed it. */
    THREAD_AFFINITY(b -> b.affinity(Affinity.THREAD)),

    /** Shared leases, {@code maxLeasesPerObject(2)}; the end state then starts with the leases in use. */
    SHARED_LEASES(b -> b.maxLeasesPerObject(2));

    private final UnaryOperator<PoolBuilder<Resource>> settings;

    PoolMode(UnaryOperator<PoolBuilder<Resource>> settings) {
        this.settings = settings;
    }

    /** A pool in this mode with the race's own {@code options}. */
    PoolUnderTest pool(UnaryOperator<PoolBuilder<Resource>> options) {
        return new PoolUnderTest(this, b -> options.apply(settings.apply(b)));
    }
}
