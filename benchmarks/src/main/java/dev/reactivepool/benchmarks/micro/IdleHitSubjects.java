package dev.reactivepool.benchmarks.micro;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import dev.reactivepool.PoolBuilder;

/**
 * Builds the pools compared by {@link IdleHitBenchmark}, all with the same settings.
 */
public final class IdleHitSubjects {

    /** How many pre-warmed objects every pool holds. */
    public static final int POOL_SIZE = 8;

    /** The names accepted by {@link #create(String)}, in report order: reactive-pool's variants first. */
    public static final String[] NAMES = names();

    private IdleHitSubjects() {
    }

    /**
     * Builds a pre-warmed pool.
     *
     * @param name one of {@link #NAMES}
     * @return the pool, ready to measure
     * @throws Exception if the pool cannot be built or warmed
     */
    public static IdleHitSubject create(String name) throws Exception {
        UnaryOperator<PoolBuilder<Resource>> variant = ReactivePoolVariants.customizer(name);
        if (variant != null) {
            return new ReactivePoolIdleHit(name, POOL_SIZE, variant);
        }
        switch (name) {
            case "reactor-pool":
                return new ReactorPoolIdleHit(POOL_SIZE);
            case "stormpot":
                return new StormpotIdleHit(POOL_SIZE, true);
            case "stormpot-noexpiry":
                return new StormpotIdleHit(POOL_SIZE, false);
            case "commons-pool2":
                return new CommonsPool2IdleHit(POOL_SIZE);
            default:
                throw new IllegalArgumentException("unknown pool '" + name + "'; expected one of "
                        + String.join(", ", NAMES));
        }
    }

    private static String[] names() {
        List<String> names = new ArrayList<>(ReactivePoolVariants.names());
        names.addAll(List.of("reactor-pool", "stormpot", "stormpot-noexpiry", "commons-pool2"));
        return names.toArray(String[]::new);
    }

    static void checkWarm(String pool, int idle, int expected, Integer created) {
        if (idle != expected) {
            throw new IllegalStateException(pool + " warmed up " + created + " objects and has " + idle
                    + " idle; expected " + expected);
        }
    }
}
