package dev.reactivepool.r2dbc.internal;

import java.util.concurrent.Callable;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ValidationDepth;
import org.reactivestreams.Publisher;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The pool's validator for idle connections about to be handed out. Always the driver's cheap
 * local check (is the socket open) and a check that the connection is not inside a transaction;
 * when the connection has been idle longer than the configured window, also a round trip: the
 * driver's {@code validate(REMOTE)} or the configured validation query. The pool bounds the whole
 * check with its validation timeout and destroys the connection if it emits false or fails.
 */
public final class ConnectionValidator {

    private static final Logger LOG = Loggers.getLogger(ConnectionValidator.class);

    /** Constant verdicts: immutable scalar Monos, which the pool reads without subscribing. */
    private static final Mono<Boolean> VALID = Mono.just(true);
    private static final Mono<Boolean> INVALID = Mono.just(false);

    private final ConnectionPolicy policy;
    private final long remoteAfterIdleNanos;

    /**
     * @param policy the adapter's settings
     */
    public ConnectionValidator(ConnectionPolicy policy) {
        this.policy = policy;
        this.remoteAfterIdleNanos = policy.remoteValidationAfterIdle().toNanos();
    }

    /**
     * @param state the idle connection
     * @return a lazy check emitting true if the connection may be handed out; a constant
     *         {@code Mono.just(..)} when the driver's local check can be read synchronously
     *         (see {@link #immediate}) and no round trip is due
     */
    public Mono<Boolean> validate(ConnectionState state) {
        Connection connection = state.connection();
        boolean remoteDue = policy.validationDepth() == ValidationDepth.REMOTE
                && System.nanoTime() - state.returnedAtNanos >= remoteAfterIdleNanos;
        Publisher<Boolean> check = connection.validate(ValidationDepth.LOCAL);
        if (!remoteDue && check instanceof Callable<?> callable) {
            return immediate(callable, state);
        }
        Mono<Boolean> local = Mono.from(check)
                .map(alive -> sessionCheck(alive, state))
                .defaultIfEmpty(false);
        return remoteDue ? local.flatMap(alive -> alive ? remote(connection) : Mono.just(false)) : local;
    }

    /**
     * Reads the driver's local check at once. Reactor marks publishers whose value is computed
     * synchronously at subscription (such as {@code Mono.fromSupplier}, which r2dbc-postgresql
     * returns for {@code validate(LOCAL)}) with {@link Callable}, and its own operators read
     * those directly instead of subscribing. Answering with a constant lets the pool hand the
     * connection out without a subscription or a validation timer.
     *
     * @return {@link #VALID} or {@link #INVALID}
     */
    private static Mono<Boolean> immediate(Callable<?> check, ConnectionState state) {
        Object alive;
        try {
            alive = check.call();
        } catch (Throwable e) {
            Exceptions.throwIfJvmFatal(e);
            LOG.debug("Idle connection failed the local check: {}", e.toString());
            return INVALID;
        }
        return sessionCheck(Boolean.TRUE.equals(alive), state) ? VALID : INVALID;
    }

    /** The driver's local verdict, and the session must not be inside a transaction. */
    private static boolean sessionCheck(boolean alive, ConnectionState state) {
        if (!alive) {
            LOG.debug("Idle connection failed the local check: it is closed");
            return false;
        }
        if (state.connection().isAutoCommit() != state.initialAutoCommit()) {
            LOG.debug("Idle connection failed the local check: it is inside a transaction");
            return false;
        }
        return true;
    }

    private Mono<Boolean> remote(Connection connection) {
        if (policy.validationQuery() == null) {
            return Mono.from(connection.validate(ValidationDepth.REMOTE)).defaultIfEmpty(false);
        }
        // Every result is drained to the end so that the connection is idle again afterwards;
        // map(), unlike flatMap(), signals the statement's errors as errors.
        return Flux.from(connection.createStatement(policy.validationQuery()).execute())
                .concatMap(result -> result.map((row, metadata) -> Boolean.TRUE))
                .then(Mono.just(true))
                .onErrorReturn(false);
    }
}
