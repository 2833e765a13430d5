package dev.reactivepool.benchmarks.micro;

/**
 * Builds the pools compared by {@link IdleHitBenchmark}, all with the same settings.
 */
public final class IdleHitSubjects {

    /** How many pre-warmed objects every pool holds. */
    public static final int POOL_SIZE = 8;

    /** The names accepted by {@link #create(String)}, in report order. */
    public static final String[] NAMES = {
            "reactive-pool", "reactor-pool", "stormpot", "stormpot-noexpiry", "commons-pool2"};

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
        switch (name) {
            case "reactive-pool":
                return new ReactivePoolIdleHit(POOL_SIZE, dev.reactivepool.Affinity.NONE);
            case "reactive-pool-affinity": // not in NAMES: run with -p pool=reactive-pool-affinity
                return new ReactivePoolIdleHit(POOL_SIZE, dev.reactivepool.Affinity.THREAD);
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

    static void checkWarm(String pool, int idle, int expected, Integer created) {
        if (idle != expected) {
            throw new IllegalStateException(pool + " warmed up " + created + " objects and has " + idle
                    + " idle; expected " + expected);
        }
    }
}
