package dev.reactivepool.r2dbc.internal;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ValidationDepth;
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
     * @return a lazy check emitting true if the connection may be handed out
     */
    public Mono<Boolean> validate(ConnectionState state) {
        return Mono.defer(() -> {
            Connection connection = state.connection();
            Mono<Boolean> local = Mono.from(connection.validate(ValidationDepth.LOCAL))
                    .map(alive -> {
                        if (!alive) {
                            LOG.debug("Idle connection failed the local check: it is closed");
                            return false;
                        }
                        if (connection.isAutoCommit() != state.initialAutoCommit()) {
                            LOG.debug("Idle connection failed the local check: it is inside a transaction");
                            return false;
                        }
                        return true;
                    })
                    .defaultIfEmpty(false);
            if (policy.validationDepth() == ValidationDepth.LOCAL
                    || System.nanoTime() - state.returnedAtNanos < remoteAfterIdleNanos) {
                return local;
            }
            return local.flatMap(alive -> alive ? remote(connection) : Mono.just(false));
        });
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
