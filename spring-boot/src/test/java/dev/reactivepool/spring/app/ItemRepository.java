package dev.reactivepool.spring.app;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Flux;

/** A Spring Data R2DBC repository, implemented by Spring Data over the starter's pool. */
public interface ItemRepository extends ReactiveCrudRepository<Item, Long> {

    /** @return the items of that name */
    Flux<Item> findByName(String name);
}
