package dev.reactivepool.samples.boot;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;

/** Spring Data R2DBC implements it over the application's ConnectionFactory: reactive-pool's pool. */
public interface ItemRepository extends ReactiveCrudRepository<Item, Long> {
}
