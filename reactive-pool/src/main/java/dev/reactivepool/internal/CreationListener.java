package dev.reactivepool.internal;

import dev.reactivepool.PoolClosedException;

/**
 * What a {@link Creation} needs from its pool: where to report its single outcome, and the two
 * facts it puts in errors. Implemented by {@link CreationControl}.
 *
 * @param <T> the type of the pooled objects
 */
interface CreationListener<T> {

    /** The allocator emitted {@code object} for {@code creation}. */
    void created(Creation<T> creation, T object);

    /** The allocator failed, timed out, emitted null or completed empty. */
    void failed(Creation<T> creation, Throwable error);

    /** The pool closed while {@code creation} waited for its backoff: nothing was created. */
    void aborted(Creation<T> creation);

    /** The pool's name, for error messages. */
    String poolName();

    /** The error of an acquire that the pool's close ends. */
    PoolClosedException closedException();
}
