package dev.reactivepool.r2dbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.BiFunction;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Wraps a driver's factory so that the connections it opens misbehave in one method, to test
 * how the pool treats connections whose rollback, validation, ... fails.
 */
final class FaultyConnections {

    private FaultyConnections() {
    }

    /**
     * @param driver the real factory
     * @param method the name of the Connection method to replace
     * @param fault  what the method returns instead, given the real connection and the arguments
     * @return a factory whose connections behave like the driver's except for {@code method}
     */
    static ConnectionFactory replacing(ConnectionFactory driver, String method,
                                       BiFunction<Connection, Object[], Object> fault) {
        return new ConnectionFactory() {
            @Override
            public Publisher<? extends Connection> create() {
                return Mono.from(driver.create()).map(real -> (Connection) Proxy.newProxyInstance(
                        FaultyConnections.class.getClassLoader(), new Class<?>[] {Connection.class},
                        (proxy, m, args) -> {
                            if (m.getName().equals(method)) {
                                return fault.apply(real, args);
                            }
                            try {
                                return m.invoke(real, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }));
            }

            @Override
            public ConnectionFactoryMetadata getMetadata() {
                return driver.getMetadata();
            }
        };
    }
}
