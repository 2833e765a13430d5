package dev.reactivepool.benchmarks.micro;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The work done with a leased object in the oversubscribed benchmark: read it on another thread.
 * The hop makes the release happen on a different thread than the acquire, as it does when the
 * work is I/O, so waiters are served across threads.
 */
final class TrivialAsyncStep {

    private TrivialAsyncStep() {
    }

    /** The step on {@link Schedulers#parallel()}: one worker per core, picked in turn. */
    static Mono<Integer> on(Resource resource) {
        return on(resource, Schedulers.parallel());
    }

    /** The step on {@code scheduler}. */
    static Mono<Integer> on(Resource resource, Scheduler scheduler) {
        return Mono.fromSupplier(resource::id).subscribeOn(scheduler);
    }
}
