package dev.reactivepool.internal;

import java.util.stream.Collectors;
import java.util.stream.Stream;

import reactor.core.CoreSubscriber;
import reactor.core.Scannable;

/**
 * Leak detection: where an acquirer asked for its lease, reported with the lease if it is held too
 * long. Taken when the acquire {@code Mono} is subscribed, on the subscribing thread: its stack,
 * the thread's name, and the names of the subscriber chain's steps. The steps matter when the
 * subscription happens inside a framework (a WebFlux handler's chain is subscribed by the
 * framework, after the handler returned): a {@code checkpoint("...")} in the chain appears there,
 * and with Reactor's debug mode ({@code Hooks.onOperatorDebug()} or the ReactorDebugAgent) every
 * step names the application line that assembled it.
 */
final class AcquireSite extends Throwable {

    private static final long serialVersionUID = 1L;

    /** Enough steps to reach the application's part of the chain; bounds the cost of a long one. */
    private static final int MAX_STEPS = 16;

    private AcquireSite(String message) {
        super(message);
    }

    /** Captures the current stack, for the acquirer {@code actual} of pool {@code poolName}. */
    static AcquireSite capture(String poolName, CoreSubscriber<?> actual) {
        return new AcquireSite("Lease acquired here: the acquire of pool '" + poolName + "' was subscribed on thread '"
                + Thread.currentThread().getName() + "' by the chain: " + steps(actual));
    }

    private static String steps(CoreSubscriber<?> actual) {
        try {
            Scannable first = Scannable.from(actual);
            return Stream.concat(Stream.of(first), first.actuals())
                    .limit(MAX_STEPS)
                    .map(Scannable::stepName)
                    .collect(Collectors.joining(" <- "));
        } catch (RuntimeException e) {
            return "(unknown: " + e.getClass().getSimpleName() + ")"; // a subscriber whose scan failed
        }
    }
}
