package dev.reactivepool.samples.boot;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Reads an item from PostgreSQL and asks the stock service for its stock, both at once. Ordinary
 * Spring code: the database connection comes from reactive-pool's R2DBC pool and the HTTP
 * connection from its connection provider, configured in application.properties only.
 */
@RestController
public class ItemController {

    private final ItemRepository items;
    private final WebClient stockService;

    ItemController(ItemRepository items, WebClient.Builder webClient, @Value("${stock-service.url}") String stockUrl) {
        this.items = items;
        this.stockService = webClient.baseUrl(stockUrl).build();
    }

    /**
     * @param id the item's id
     * @return the item and its stock; empty (404) for an unknown id
     */
    @GetMapping("/items/{id}")
    public Mono<ItemWithStock> item(@PathVariable("id") long id) {
        Mono<Integer> stock = stockService.get().uri("/stock/{id}", id).retrieve().bodyToMono(Integer.class);
        return items.findById(id).zipWith(stock, (item, count) -> new ItemWithStock(item.id(), item.name(), count));
    }
}
