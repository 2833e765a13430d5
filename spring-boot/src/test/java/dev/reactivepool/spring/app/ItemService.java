package dev.reactivepool.spring.app;

import java.time.Duration;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import reactor.core.publisher.Mono;

/** Transactional work of the test application, through Boot's R2dbcTransactionManager. */
@Service
public class ItemService {

    private final ItemRepository items;
    private final DatabaseClient database;

    ItemService(ItemRepository items, DatabaseClient database) {
        this.items = items;
        this.database = database;
    }

    /**
     * Inserts, then fails: the transaction must roll back.
     *
     * @param name the name to insert
     * @return a Mono failing after the insert
     */
    @Transactional
    public Mono<Item> insertThenFail(String name) {
        return items.save(new Item(null, name))
                .then(Mono.error(new IllegalStateException("failing after the insert, on purpose")));
    }

    /**
     * A slow query inside a transaction, to be cancelled by clients.
     *
     * @param sleep how long the query takes
     * @return the row count, after the sleep
     */
    @Transactional
    public Mono<Long> slowInTransaction(Duration sleep) {
        return items.save(new Item(null, "slow-tx"))
                .then(database.sql("SELECT pg_sleep(" + sleep.toMillis() / 1000.0 + ")").then())
                .then(items.count());
    }
}
