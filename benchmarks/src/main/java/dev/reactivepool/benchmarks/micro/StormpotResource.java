package dev.reactivepool.benchmarks.micro;

import stormpot.BasePoolable;
import stormpot.Slot;

/**
 * The benchmark's object as Stormpot needs it: a {@code Poolable} that releases itself to its
 * slot.
 */
final class StormpotResource extends BasePoolable {

    private final Resource resource;

    StormpotResource(Slot slot, Resource resource) {
        super(slot);
        this.resource = resource;
    }

    Resource resource() {
        return resource;
    }
}
