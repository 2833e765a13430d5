package dev.reactivepool.spring.app;

import java.time.Duration;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The test application's endpoints: plain Spring WebFlux code, nothing pool-specific. */
@RestController
public class ItemController {

    private final ItemRepository items;
    private final ItemService service;
    private final DatabaseClient database;
    private final ConnectionFactory connectionFactory;
    private final WebClient upstream;

    ItemController(ItemRepository items, ItemService service, DatabaseClient database,
                   ConnectionFactory connectionFactory, WebClient.Builder webClient,
                   @Value("${upstream.url:http://127.0.0.1:1}") String upstreamUrl) {
        this.items = items;
        this.service = service;
        this.database = database;
        this.connectionFactory = connectionFactory;
        this.upstream = webClient.baseUrl(upstreamUrl).build();
    }

    /** @return an item by id */
    @GetMapping("/items/{id}")
    public Mono<Item> item(@PathVariable("id") long id) {
        return items.findById(id);
    }

    /** @return the new item */
    @PostMapping("/items")
    public Mono<Item> create(@RequestParam("name") String name) {
        return items.save(new Item(null, name));
    }

    /** @return fails after inserting, in a transaction */
    @PostMapping("/items/failing")
    public Mono<Item> createFailing(@RequestParam("name") String name) {
        return service.insertThenFail(name);
    }

    /** @return "slept" after a slow query outside any transaction */
    @GetMapping("/slow")
    public Mono<String> slow(@RequestParam(name = "millis", defaultValue = "50") long millis) {
        return database.sql("SELECT pg_sleep(" + millis / 1000.0 + ")").then().thenReturn("slept");
    }

    /** @return the row count after a slow query inside a transaction */
    @GetMapping("/slow-tx")
    public Mono<Long> slowTransactional(@RequestParam(name = "millis", defaultValue = "50") long millis) {
        return service.slowInTransaction(Duration.ofMillis(millis));
    }

    /** @return the upstream's answer, over the auto-configured WebClient */
    @GetMapping("/stock/{id}")
    public Mono<String> stock(@PathVariable("id") long id) {
        return upstream.get().uri("/stock/{id}", id).retrieve().bodyToMono(String.class);
    }

    /**
     * A connection that an operator discards: the first source emits a connection and completes,
     * the second fails, and collectList discards what it collected. Nothing cancels create(), so
     * only the request's discard handler can give the connection back.
     *
     * @return always an error
     */
    @GetMapping("/discarded")
    public Mono<Integer> discarded() {
        return Flux.concat(Mono.from(connectionFactory.create()),
                        Mono.<Connection>error(new IllegalStateException("second source failed, on purpose")))
                .collectList()
                .map(java.util.List::size);
    }
}
