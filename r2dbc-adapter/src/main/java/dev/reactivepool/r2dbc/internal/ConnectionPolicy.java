package dev.reactivepool.r2dbc.internal;

import java.time.Duration;

import io.r2dbc.spi.ValidationDepth;

/**
 * The adapter's own settings for validating and resetting connections, checked by the builder.
 *
 * @param validationDepth           LOCAL: only the driver's local check; REMOTE: also a round trip after an idle window
 * @param remoteValidationAfterIdle idle time after which the round trip runs (zero: always)
 * @param validationQuery           a query used as the round trip instead of {@code validate(REMOTE)}, or null
 * @param resetQuery                a statement run on every returned connection, or null
 * @param defaultStatementTimeout   the statement timeout restored when a borrower changed it
 * @param defaultLockWaitTimeout    the lock-wait timeout restored when a borrower changed it
 */
public record ConnectionPolicy(
        ValidationDepth validationDepth,
        Duration remoteValidationAfterIdle,
        String validationQuery,
        String resetQuery,
        Duration defaultStatementTimeout,
        Duration defaultLockWaitTimeout) {
}
