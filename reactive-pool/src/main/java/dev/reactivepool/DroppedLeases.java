package dev.reactivepool;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

import reactor.core.publisher.Hooks;
import reactor.core.publisher.Operators;
import reactor.util.Logger;
import reactor.util.Loggers;
import reactor.util.context.Context;
import reactor.util.function.Tuple2;

/**
 * Gives back to their pool the leases (and adapters' pooled objects, see {@link Reclaimable})
 * that Reactor drops after they were emitted, so that no object and no permit is ever lost
 * because of how a subscriber or an operator handled cancellation.
 *
 * <p>Reactor drops a value in two ways, and each needs its own remedy:
 * <ul>
 *   <li><b>{@code onNextDropped}</b>: a subscriber receives {@code onNext} after it cancelled
 *   (Reactive Streams rule 2.8 allows it: {@code pool.acquire().subscribe(consumer)} then
 *   {@code dispose()} from another thread, {@code timeout(d, fallback)}, ...). Reactor then calls
 *   the <em>global</em> {@link Hooks#onNextDropped(Consumer)} hook. Every pool installs, once per
 *   JVM, a consumer there that reclaims the library's values and ignores all others
 *   ({@link #installHook()}); set the system property {@value #HOOK_PROPERTY} to {@code false}
 *   to opt out. {@code Hooks.resetOnNextDropped()} removes it; the next pool built installs it
 *   again, or call {@link #installHook()}.</li>
 *   <li><b>{@code onDiscard}</b>: an operator drops values it received but never delivers
 *   ({@code Mono.zip} whose sibling failed, the queue of {@code publishOn} on cancel,
 *   {@code filter}, ...). Reactor looks for a discard handler in the subscriber's
 *   {@code Context}, which a pool cannot write. Add ours to a chain with
 *   {@code chain.contextWrite(DroppedLeases.discardHandler())}: it reclaims what the operators
 *   above that point discard. The Spring Boot starter does this for every WebFlux request and
 *   the Kotlin bridge for its own chains.</li>
 * </ul>
 * A lease used through {@link Pool#withLease} never needs either: the lease stays inside
 * {@code usingWhen}, which releases it on completion, error and cancellation.
 *
 * <p>Reclaiming is the same as the holder releasing: a value that is neither a {@link Lease} nor
 * a {@link Reclaimable} is left alone, and a lease that was already released stays released.
 */
public final class DroppedLeases {

    /**
     * The system property that, set to {@code false}, keeps the library from installing its
     * global {@code onNextDropped} hook. Read when a pool is built.
     */
    public static final String HOOK_PROPERTY = "reactivepool.droppedLeaseHook";

    /** Reactor's context key for the local discard handler (see {@code Flux.doOnDiscard}). */
    private static final String DISCARD_KEY = "reactor.onDiscard.local";
    /** Marks a context that already carries our discard handler, so that it is added once. */
    private static final String MARK_KEY = DroppedLeases.class.getName() + ".discard";

    private static final Logger LOG = Loggers.getLogger(DroppedLeases.class);
    /** The dropped-value logger Reactor uses when no hook is installed; we keep its debug line. */
    private static final Logger REACTOR_LOG = Loggers.getLogger(Operators.class);

    /** Probes whether our hook is still installed (Reactor offers no way to read the hooks). */
    private static final Object PROBE = new Object() {
        @Override
        public String toString() {
            return "reactive-pool: probe of its onNextDropped hook (ignore)";
        }
    };
    private static final AtomicBoolean PROBE_SEEN = new AtomicBoolean();

    private static final Consumer<Object> DISCARD_HANDLER = DroppedLeases::reclaimQuietly;
    private static final Function<Context, Context> CONTEXT_WRITER = DroppedLeases::withDiscardHandler;

    private DroppedLeases() {
    }

    /**
     * A function for {@code contextWrite} that adds the library's discard handler to a chain:
     * every {@link Lease} or {@link Reclaimable} that an operator upstream of the
     * {@code contextWrite} discards goes back to its pool. It composes with discard handlers
     * already in the context ({@code doOnDiscard}), and adding it twice adds it once.
     *
     * <pre>{@code
     * Mono.zip(pool.acquire(), otherCall)
     *     .flatMap(...)
     *     .contextWrite(DroppedLeases.discardHandler());
     * }</pre>
     *
     * @return the context writer; the same instance each time
     */
    public static Function<Context, Context> discardHandler() {
        return CONTEXT_WRITER;
    }

    /**
     * Adds the library's discard handler to a context, as {@link #discardHandler()} does.
     *
     * @param context the context of a chain
     * @return {@code context} with the handler, or {@code context} itself if it has it already
     */
    public static Context withDiscardHandler(Context context) {
        if (context.hasKey(MARK_KEY)) {
            return context;
        }
        Consumer<Object> existing = context.getOrDefault(DISCARD_KEY, null);
        Consumer<Object> handler = existing == null ? DISCARD_HANDLER : DISCARD_HANDLER.andThen(existing);
        return context.put(DISCARD_KEY, handler).put(MARK_KEY, Boolean.TRUE);
    }

    /**
     * Gives a dropped value back to its pool if it is the library's: a {@link Reclaimable} is
     * reclaimed, another {@link Lease} is released; a {@code Tuple2} (a dropped {@code zip}
     * result) is looked into. Anything else is left alone.
     *
     * @param value a value nobody holds any more
     * @return true if the value was (or held) a lease or a reclaimable object
     */
    public static boolean reclaim(Object value) {
        if (value instanceof Reclaimable reclaimable) {
            reclaimable.reclaim();
            return true;
        }
        if (value instanceof Lease<?> lease) {
            if (!lease.isReleased()) {
                lease.release().subscribe(null, error -> LOG.warn("A dropped lease could not be released", error));
            }
            return true;
        }
        if (value instanceof Tuple2<?, ?> tuple) {
            boolean any = false;
            for (Object element : tuple) {
                if (element != PROBE) {
                    any |= reclaim(element);
                }
            }
            return any;
        }
        return false;
    }

    /**
     * Installs the global {@code onNextDropped} consumer that reclaims the library's values,
     * unless the system property {@value #HOOK_PROPERTY} is {@code false}. Every pool calls it
     * when built; it is idempotent, and installs the consumer again after
     * {@code Hooks.resetOnNextDropped()}.
     *
     * @return true if the consumer is installed when this method returns
     */
    public static boolean installHook() {
        if ("false".equalsIgnoreCase(System.getProperty(HOOK_PROPERTY))) {
            return false;
        }
        if (isHookInstalled()) {
            return true;
        }
        Hooks.onNextDropped(DroppedLeases::onNextDropped);
        return isHookInstalled();
    }

    /**
     * Whether the library's {@code onNextDropped} consumer is installed: it drops a probe value
     * through Reactor and sees whether our consumer received it.
     */
    private static boolean isHookInstalled() {
        PROBE_SEEN.set(false);
        try {
            Operators.onNextDropped(PROBE, Context.empty());
        } catch (RuntimeException otherHookThrew) {
            // Another global consumer (Hooks.onNextDroppedFail) threw before ours ran.
        }
        return PROBE_SEEN.get();
    }

    private static void onNextDropped(Object value) {
        if (value == PROBE) {
            PROBE_SEEN.set(true);
            return;
        }
        if (!reclaimQuietly(value) && REACTOR_LOG.isDebugEnabled()) {
            REACTOR_LOG.debug("onNextDropped: " + value);
        }
    }

    /** Reclaims without ever throwing into the operator that dropped the value. */
    private static boolean reclaimQuietly(Object value) {
        try {
            return reclaim(value);
        } catch (RuntimeException e) {
            LOG.warn("A dropped lease could not be given back to its pool", e);
            return true;
        }
    }
}
