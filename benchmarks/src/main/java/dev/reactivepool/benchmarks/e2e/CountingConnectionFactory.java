package dev.reactivepool.benchmarks.e2e;

import java.util.concurrent.atomic.LongAdder;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Wraps the driver's factory and counts the connections it opens: each one is a new server
 * session (a PostgreSQL backend process), which is what a pool exists to save.
 */
final class CountingConnectionFactory implements ConnectionFactory {

    private final ConnectionFactory driver;
    private final LongAdder opened = new LongAdder();

    CountingConnectionFactory(ConnectionFactory driver) {
        this.driver = driver;
    }

    @Override
    public Publisher<? extends Connection> create() {
        return Mono.from(driver.create()).doOnNext(c -> opened.increment());
    }

    @Override
    public ConnectionFactoryMetadata getMetadata() {
        return driver.getMetadata();
    }

    long opened() {
        return opened.sum();
    }
}
