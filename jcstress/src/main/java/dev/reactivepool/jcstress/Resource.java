package dev.reactivepool.jcstress;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The pooled object of every race test: it knows whether it was destroyed, so that a test can
 * tell when a destroyed object is handed out.
 */
final class Resource {

    /** Sequence number within one pool, 1 for the first object made. */
    final int id;

    /** Set by the pool's destroyer. */
    final AtomicBoolean destroyed = new AtomicBoolean();

    Resource(int id) {
        this.id = id;
    }
}
