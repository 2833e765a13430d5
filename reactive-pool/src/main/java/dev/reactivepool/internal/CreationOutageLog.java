package dev.reactivepool.internal;

import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import reactor.util.Logger;

/**
 * Makes a creation outage visible in the log with two lines, never one per attempt: the first
 * failure of a streak at WARN (the cause's class and message), and the first success after it at
 * INFO, with how long the outage lasted and how many attempts failed. Further failures of the
 * streak go to DEBUG. The WARN names the error and its causes (class and message, no stack trace):
 * drivers wrap the reason (authentication failed, connection refused) in a generic error.
 *
 * <p>Lock-free: the current outage is one immutable value swapped by CAS, so the attempt that
 * opens an outage, those that extend it and the success that closes it agree on exactly one WARN
 * and one INFO per outage, with exact figures, even when creations end concurrently. Costs a
 * volatile read per successful creation while the pool is healthy.
 *
 * <p>The cause's message is the allocator's own text, which a driver may write with a connection
 * URL in it: user-info passwords ({@code scheme://user:secret@host}) and {@code password=...}
 * style parameters are masked before it is logged.
 */
final class CreationOutageLog {

    /** {@code scheme://user:secret@}: keeps the user, masks the secret. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/\\s:@]*:)[^/\\s@]*@");
    /** {@code password=secret}, {@code pwd: secret}, {@code "password":"secret"} and the like. */
    private static final Pattern KEY_PASSWORD = Pattern.compile(
            "(?i)((?:password|passwd|pwd|secret)\"?\\s*[=:]\\s*\"?)[^\\s&;,\"']+");
    private static final String MASK = "****";

    /** An outage in progress: when its first attempt failed (pool clock, ms) and attempts failed so far. */
    private record Outage(long sinceMillis, int failedAttempts) {
    }

    private final Logger log;
    private final String poolName;
    private final AtomicReference<Outage> outage = new AtomicReference<>();

    CreationOutageLog(Logger log, String poolName) {
        this.log = log;
        this.poolName = poolName;
    }

    /** An attempt to create an object failed at {@code nowMillis}. */
    void failed(long nowMillis, Throwable error) {
        for (;;) {
            Outage current = outage.get();
            Outage next = current == null ? new Outage(nowMillis, 1)
                    : new Outage(current.sinceMillis, current.failedAttempts + 1);
            if (outage.compareAndSet(current, next)) {
                if (current == null) {
                    log.warn("Pool '{}': creating an object failed; further attempts back off until one succeeds: {}",
                            poolName, describe(error));
                } else if (log.isDebugEnabled()) {
                    log.debug("Pool '{}': object creation failed again ({} in a row): {}", poolName,
                            next.failedAttempts, describe(error));
                }
                return;
            }
        }
    }

    /** An attempt to create an object succeeded at {@code nowMillis}: ends the outage, if any. */
    void succeeded(long nowMillis) {
        if (outage.get() == null) {
            return; // healthy: no write
        }
        Outage ended = outage.getAndSet(null);
        if (ended != null) {
            log.info("Pool '{}': object creation works again after an outage of {} ms; {} attempt(s) failed",
                    poolName, Math.max(0, nowMillis - ended.sinceMillis), ended.failedAttempts);
        }
    }

    /** Causes followed below the error: drivers wrap the reason ("authentication failed", "refused") in a generic one. */
    private static final int MAX_CAUSES = 4;

    /**
     * The error's class and message, then those of its causes ("; caused by ..."), each with
     * anything that looks like a password masked. No stack trace: one line per outage.
     */
    static String describe(Throwable error) {
        StringBuilder text = new StringBuilder();
        Throwable t = error;
        for (int depth = 0; t != null && depth <= MAX_CAUSES; depth++) {
            if (depth > 0) {
                text.append("; caused by ");
            }
            text.append(t.getClass().getName());
            String message = t.getMessage();
            if (message != null) {
                text.append(": ").append(mask(message));
            }
            Throwable cause = t.getCause();
            t = cause == t ? null : cause;
        }
        return text.toString();
    }

    private static String mask(String message) {
        String masked = URL_PASSWORD.matcher(message).replaceAll("$1" + MASK + "@");
        return KEY_PASSWORD.matcher(masked).replaceAll("$1" + MASK);
    }
}
