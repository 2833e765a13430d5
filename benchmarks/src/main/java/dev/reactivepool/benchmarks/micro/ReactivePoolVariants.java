package dev.reactivepool.benchmarks.micro;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import dev.reactivepool.PoolBuilder;

/**
 * The configurations of reactive-pool that the microbenchmarks measure, by report name. Both the
 * idle-hit and the oversubscribed benchmark take every entry, so a new variant (for example one
 * with event-loop affinity) is one more line here.
 */
final class ReactivePoolVariants {

    /** The name of the default configuration, the one the targets are checked against. */
    static final String DEFAULT = "reactive-pool";

    private static final Map<String, UnaryOperator<PoolBuilder<Resource>>> VARIANTS = new LinkedHashMap<>();

    static {
        VARIANTS.put(DEFAULT, UnaryOperator.identity());
        // Idle objects kept per thread, stolen across threads when a thread has none (docs/affinity.md).
        VARIANTS.put("reactive-pool-affinity", b -> b.affinity(dev.reactivepool.Affinity.THREAD));
    }

    private ReactivePoolVariants() {
    }

    /** The variant names, default first. */
    static List<String> names() {
        return List.copyOf(VARIANTS.keySet());
    }

    /** The builder customisation of a variant, or null if {@code name} is not one. */
    static UnaryOperator<PoolBuilder<Resource>> customizer(String name) {
        return VARIANTS.get(name);
    }
}
