package dev.reactivepool.samples;

import java.time.Duration;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The demo's table: {@value #ITEMS} items with a name and a price. Created if missing and filled
 * idempotently, so that an external database can be used again and again.
 */
public final class DemoSchema {

    /** The table's name. */
    public static final String TABLE = "reactivepool_demo_item";
    /** How many items the table holds, with ids from 1. */
    public static final int ITEMS = 1000;

    private DemoSchema() {
    }

    /**
     * Creates and fills the table. Blocks: call it from the main thread, before any load.
     *
     * @param database a factory of connections to the database
     */
    public static void create(ConnectionFactory database) {
        Mono.usingWhen(database.create(), DemoSchema::createWith, Connection::close)
                .block(Duration.ofSeconds(30));
    }

    private static Mono<Void> createWith(Connection connection) {
        return Flux.concat(
                        execute(connection, "CREATE TABLE IF NOT EXISTS " + TABLE
                                + " (id integer PRIMARY KEY, name text NOT NULL, price_cents integer NOT NULL)"),
                        execute(connection, "INSERT INTO " + TABLE + " SELECT i, 'item-' || i, 100 + (i * 37) % 9900"
                                + " FROM generate_series(1, " + ITEMS + ") AS i ON CONFLICT (id) DO NOTHING"),
                        execute(connection, "ANALYZE " + TABLE))
                .then();
    }

    private static Mono<Long> execute(Connection connection, String sql) {
        return Flux.from(connection.createStatement(sql).execute())
                .flatMap(result -> result.getRowsUpdated())
                .reduce(0L, Long::sum);
    }

    /**
     * The price the table holds for an item.
     *
     * @param id the item's id, from 1 to {@value #ITEMS}
     * @return its price in cents
     */
    public static int priceOf(int id) {
        return 100 + (id * 37) % 9900;
    }
}
