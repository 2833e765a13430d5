package dev.reactivepool.samples;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import reactor.core.publisher.Mono;

/**
 * A driver's {@link ConnectionFactory} that counts the physical connections it opens and closes,
 * so that the demo can show how many database connections each approach needed. Pools are put in
 * front of it; it sees every real connection whatever sits in front.
 */
public final class CountingConnectionFactory implements ConnectionFactory {

    private final ConnectionFactory driver;
    private final ConnectionCounter counter;

    /**
     * @param driver  the driver's factory, which opens real connections
     * @param counter where opened and closed connections are counted
     */
    public CountingConnectionFactory(ConnectionFactory driver, ConnectionCounter counter) {
        this.driver = driver;
        this.counter = counter;
    }

    /** @return a lazy {@code Mono} opening one real connection, counted until it is closed */
    @Override
    public Mono<Connection> create() {
        return Mono.from(driver.create()).map(connection -> {
            counter.opened();
            return new CountedConnection(connection, counter);
        });
    }

    /** @return the driver's metadata */
    @Override
    public ConnectionFactoryMetadata getMetadata() {
        return driver.getMetadata();
    }

    /** @return the counter of this factory's connections */
    public ConnectionCounter counter() {
        return counter;
    }
}
