package dev.reactivepool.r2dbc.internal;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import dev.reactivepool.InvalidPoolConfigurationException;

/**
 * r2dbc-pool's (1.0.x) option names, accepted by the {@code reactivepool} driver so that an
 * {@code r2dbc:pool:} URL works after changing only the driver name. Each alias reads its value
 * with r2dbc-pool's meaning, under the alias's own name (so an error names what the user wrote),
 * and yields the value of one of our options. r2dbc-pool options that reactive-pool cannot run are
 * refused with the reason. {@code maxSize}, {@code minIdle}, {@code validationQuery} and
 * {@code validationDepth} have the same names in both and are no aliases. The mapping and its
 * differences are documented in {@code docs/r2dbc-options.md}.
 */
public final class R2dbcPoolAliases {

    /** The name of the alias whose value raises minIdle (r2dbc-pool's initialSize). */
    public static final String INITIAL_SIZE = "initialSize";

    /**
     * One r2dbc-pool option name.
     *
     * @param name   r2dbc-pool's name
     * @param target our option it sets, or null when the value needs no option (accepted, no effect)
     * @param read   reads the value (text or typed) with r2dbc-pool's meaning into the value of
     *               {@code target}; throws {@link InvalidPoolConfigurationException} naming the alias
     */
    public record Alias(String name, String target, BiFunction<String, Object, Object> read) {

        /**
         * @param value the value given
         * @return the value for {@link #target()}, typed
         * @throws InvalidPoolConfigurationException naming this alias
         */
        public Object valueFor(Object value) {
            return read.apply(name, value);
        }
    }

    private static final Map<String, Alias> ALIASES = aliases();

    private R2dbcPoolAliases() {
    }

    private static Map<String, Alias> aliases() {
        Map<String, Alias> a = new LinkedHashMap<>();
        add(a, "maxIdleTime", "idleTimeout", R2dbcPoolAliases::negativeDisables);
        add(a, "maxLifeTime", "maxLifetime", R2dbcPoolAliases::negativeDisables);
        add(a, "maxAcquireTime", "acquireTimeout", OptionValues::toDuration);
        add(a, "maxCreateConnectionTime", "createTimeout", OptionValues::toDuration);
        add(a, "maxValidationTime", "validationTimeout", OptionValues::toDuration);
        add(a, "backgroundEvictionInterval", "evictionInterval", OptionValues::toDuration);
        add(a, "poolName", "name", OptionValues::toNonBlankString);
        add(a, INITIAL_SIZE, INITIAL_SIZE, OptionValues::toInt);
        add(a, "acquireRetry", null, (name, value) -> {
            throw new InvalidPoolConfigurationException(name, "is not supported: reactive-pool does not repeat "
                    + "a failed acquire; it already replaces a connection that fails validation with another "
                    + "(up to maxSize + 1 tries, within acquireTimeout), and reports a failed connection attempt "
                    + "to its caller while creationBackoffInitial/creationBackoffMax pace the next attempts; "
                    + "remove the option");
        });
        add(a, "postAllocate", null, (name, value) -> {
            throw new InvalidPoolConfigurationException(name, "is not supported: reactive-pool runs no function on "
                    + "a connection before handing it out; use validationQuery for a check");
        });
        add(a, "preRelease", null, (name, value) -> {
            throw new InvalidPoolConfigurationException(name, "is not supported: reactive-pool runs no function on "
                    + "a returned connection; it rolls back, restores the session settings and runs resetQuery");
        });
        return Collections.unmodifiableMap(a);
    }

    private static void add(Map<String, Alias> aliases, String name, String target,
                            BiFunction<String, Object, Object> read) {
        aliases.put(name, new Alias(name, target, read));
    }

    /**
     * r2dbc-pool's maxIdleTime and maxLifeTime: negative means "never" (our zero); zero means
     * "evict at once", the opposite of our zero, so it is refused rather than turned around.
     */
    private static Duration negativeDisables(String name, Object value) {
        Duration duration = OptionValues.toDuration(name, value);
        if (duration.isNegative()) {
            return Duration.ZERO;
        }
        if (duration.isZero()) {
            throw new InvalidPoolConfigurationException(name, "a positive duration of at most 365 days, or "
                    + "negative for none (0, which makes r2dbc-pool close every idle connection at once, has no "
                    + "equivalent: maxIdle=0 closes every returned connection, maxUses=1 every used one)", "PT0S");
        }
        return duration;
    }

    /**
     * @param name an option name
     * @return the alias of that name, or null
     */
    public static Alias find(String name) {
        return ALIASES.get(name);
    }

    /** @return every alias name, in documentation order */
    public static Set<String> names() {
        return ALIASES.keySet();
    }
}
