package dev.reactivepool.benchmarks.micro;

/**
 * The object pooled by the microbenchmarks: as small as possible, so that the figures measure the
 * pools and not the objects.
 */
public final class Resource {

    private final int id;

    /**
     * Creates a resource.
     *
     * @param id a number that tells the pooled objects apart
     */
    public Resource(int id) {
        this.id = id;
    }

    /**
     * The number of this resource.
     *
     * @return the id given at creation
     */
    public int id() {
        return id;
    }
}
