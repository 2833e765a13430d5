package dev.reactivepool.benchmarks.micro;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The work done with a leased object in the oversubscribed benchmark: read it on another thread.
 * The hop to {@link Schedulers#parallel()} makes the release happen on a different thread than
 * the acquire, as it does when the work is I/O, so waiters are served across threads.
 */
final class TrivialAsyncStep {

    private TrivialAsyncStep() {
    }

    static Mono<Integer> on(Resource resource) {
        return Mono.fromSupplier(resource::id).subscribeOn(Schedulers.parallel());
    }
}
