package dev.reactivepool.internal;

import java.util.function.Predicate;

/**
 * The rule that retires an idle object: past its lifetime, idle for longer than the idle timeout,
 * or matched by the eviction predicate. The pool holds none when no such option is set, so an
 * idle hit then pays one null check for it.
 *
 * @param <T> the type of the pooled objects
 */
final class Expiry<T> {

    private final String name;
    private final long idleTimeoutMillis;
    private final Predicate<? super T> evictionPredicate;

    private Expiry(String name, long idleTimeoutMillis, Predicate<? super T> evictionPredicate) {
        this.name = name;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.evictionPredicate = evictionPredicate;
    }

    /** The expiry rule of a pool configured with {@code config}, or null if it has none. */
    static <T> Expiry<T> of(PoolConfig<T> config) {
        long idleTimeout = config.idleTimeout().toMillis();
        Predicate<? super T> predicate = config.evictionPredicate();
        if (idleTimeout <= 0 && config.maxLifetime().toMillis() <= 0 && predicate == null) {
            return null;
        }
        return new Expiry<>(config.name(), idleTimeout, predicate);
    }

    /** Whether the idle object of {@code slot} is to be evicted at {@code nowMillis} (coarse clock). */
    boolean isExpired(Slot<T> slot, long nowMillis) {
        // expiresAtMillis is Long.MAX_VALUE without a lifetime
        return nowMillis >= slot.expiresAtMillis
                || (idleTimeoutMillis > 0 && nowMillis - slot.idleSinceMillis >= idleTimeoutMillis)
                || (evictionPredicate != null && matchesEvictionPredicate(slot));
    }

    /**
     * Listeners only: which rule retires {@code slot}, which {@link #isExpired} matched at
     * {@code nowMillis}; the eviction predicate is not called again.
     */
    dev.reactivepool.DestroyReason reason(Slot<T> slot, long nowMillis) {
        if (nowMillis >= slot.expiresAtMillis) {
            return dev.reactivepool.DestroyReason.LIFETIME;
        }
        if (idleTimeoutMillis > 0 && nowMillis - slot.idleSinceMillis >= idleTimeoutMillis) {
            return dev.reactivepool.DestroyReason.IDLE_TIMEOUT;
        }
        return dev.reactivepool.DestroyReason.EVICTION_PREDICATE;
    }

    private boolean matchesEvictionPredicate(Slot<T> slot) {
        try {
            return evictionPredicate.test(slot.object);
        } catch (RuntimeException e) {
            DefaultPool.LOG.debug("Pool '{}': evictionPredicate threw {}; evicting the object", name, e.toString());
            return true;
        }
    }
}
