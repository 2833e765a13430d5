package dev.reactivepool.samples;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The work of one request, in the demo and in the sample service: read an item from PostgreSQL
 * over R2DBC and, at the same time, ask the upstream service for its stock over HTTP.
 *
 * <p>The same code runs with and without pooling: what changes is the {@link ConnectionFactory}
 * (the driver's own, or reactive-pool's {@code PooledConnectionFactory} in front of it) and the
 * {@link HttpClient}'s connection provider. The connection is always scoped with
 * {@link Mono#usingWhen}, so it is closed (or, when pooled, returned) on success, error and
 * cancellation alike. Nothing here blocks.
 */
public final class ItemLookup {

    /** The query, by primary key. */
    static final String SELECT_ITEM = "SELECT name, price_cents FROM " + DemoSchema.TABLE + " WHERE id = $1";

    private static final Pattern IN_STOCK = Pattern.compile("\"inStock\":(\\d+)");

    private final ConnectionFactory database;
    private final HttpClient upstream;
    private final String upstreamBaseUrl;

    /**
     * @param database        where connections come from
     * @param upstream        the HTTP client for the upstream service
     * @param upstreamBaseUrl the upstream service's base URL, like {@code http://127.0.0.1:8081}
     */
    public ItemLookup(ConnectionFactory database, HttpClient upstream, String upstreamBaseUrl) {
        this.database = database;
        this.upstream = upstream;
        this.upstreamBaseUrl = upstreamBaseUrl;
    }

    /**
     * Looks an item up.
     *
     * @param id the item's id
     * @return a lazy {@code Mono} of the item, empty if there is no such item
     */
    public Mono<Item> find(int id) {
        Mono<Item> fromDatabase = Mono.usingWhen(
                database.create(),
                connection -> query(connection, id),
                Connection::close);
        Mono<Integer> stock = upstream.get()
                .uri(upstreamBaseUrl + "/stock/" + id)
                .responseSingle((response, body) -> response.status().code() == 200
                        ? body.asString()
                        : Mono.error(new IllegalStateException("upstream answered " + response.status())))
                .map(ItemLookup::parseStock);
        return Mono.zip(fromDatabase, stock, (item, inStock) -> new Item(id, item.name(), item.priceCents(), inStock));
    }

    private static Mono<Item> query(Connection connection, int id) {
        // Consume the results to the end (singleOrEmpty, not Mono.from or next, which cancel
        // after the first row): a cancelled query costs the pool an extra round trip on return.
        return Flux.from(connection.createStatement(SELECT_ITEM).bind("$1", id).execute())
                .flatMap(result -> result.map((row, metadata) -> new Item(id,
                        row.get("name", String.class),
                        row.get("price_cents", Integer.class),
                        0)))
                .singleOrEmpty();
    }

    private static int parseStock(String json) {
        Matcher m = IN_STOCK.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("upstream answer without inStock: " + json);
        }
        return Integer.parseInt(m.group(1));
    }
}
