package dev.reactivepool.r2dbc.internal;

import dev.reactivepool.AcquireTimeoutException;
import dev.reactivepool.PoolClosedException;
import dev.reactivepool.PoolException;
import dev.reactivepool.PoolExhaustedException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;

/**
 * Maps the pool's errors onto the R2DBC exception hierarchy, so that R2DBC users (and
 * frameworks that classify {@link R2dbcException}s as transient or not) need not know the pool.
 * The message is the pool's own, with its figures; the pool's exception is the cause.
 */
public final class PoolErrors {

    private PoolErrors() {
    }

    /**
     * @param error an error from acquiring a connection
     * @return an {@link R2dbcException}: a driver's own R2DBC exception unchanged; an acquire timeout
     *         as {@link R2dbcTimeoutException}; a full pending queue as
     *         {@link R2dbcTransientResourceException}; a closed pool and anything else as
     *         {@link R2dbcNonTransientResourceException}
     */
    public static Throwable toR2dbc(Throwable error) {
        if (error instanceof R2dbcException) {
            return error;
        }
        if (error instanceof AcquireTimeoutException) {
            return new R2dbcTimeoutException(error.getMessage(), error);
        }
        if (error instanceof PoolExhaustedException) {
            return new R2dbcTransientResourceException(error.getMessage(), error);
        }
        if (error instanceof PoolClosedException || error instanceof PoolException) {
            return new R2dbcNonTransientResourceException(error.getMessage(), error);
        }
        if (error instanceof Error) {
            return error;
        }
        return new R2dbcNonTransientResourceException("Could not obtain a connection: " + error, error);
    }
}
