package dev.reactivepool.benchmarks.micro;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import dev.reactivepool.PoolBuilder;

/**
 * Builds the pools compared by {@link OversubscribedBenchmark}: every variant of reactive-pool
 * ({@link ReactivePoolVariants}) and reactor-pool.
 */
public final class OversubscribedSubjects {

    /** The names accepted by {@link #create(String, int)}, in report order. */
    public static final String[] NAMES = names();

    private OversubscribedSubjects() {
    }

    /**
     * Builds a pre-warmed pool.
     *
     * @param name one of {@link #NAMES}
     * @param size objects in the pool
     * @return the pool
     */
    static OversubscribedSubject create(String name, int size) {
        UnaryOperator<PoolBuilder<Resource>> variant = ReactivePoolVariants.customizer(name);
        if (variant != null) {
            return new ReactivePoolOversubscribed(name, size, variant);
        }
        if (name.equals("reactor-pool")) {
            return new ReactorPoolOversubscribed(size);
        }
        throw new IllegalArgumentException("unknown pool '" + name + "'; expected one of " + String.join(", ", NAMES));
    }

    private static String[] names() {
        List<String> names = new ArrayList<>(ReactivePoolVariants.names());
        names.add("reactor-pool");
        return names.toArray(String[]::new);
    }
}
