package dev.reactivepool.samples.boot;

/** An item and the stock the stock service reports for it. */
public record ItemWithStock(long id, String name, int stock) {
}
