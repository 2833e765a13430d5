package dev.reactivepool.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.ValidationDepth;
import io.r2dbc.spi.Wrapped;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The pooled connection handle: close() returns it once however often it is called, and any use
 * after close fails with an R2dbcNonTransientResourceException saying so; it unwraps to the
 * driver's connection.
 */
final class ReturnedConnectionTest {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private PooledConnectionFactory factory;

    @BeforeEach
    void createFactory() {
        factory = PooledConnectionFactory.builder(PgSupport.driver(PG.port(), "returned-connection"))
                .maxSize(2)
                .build();
    }

    @AfterEach
    void closeFactory() {
        factory.close().block(Duration.ofSeconds(30));
    }

    @Test
    void closeReturnsTheConnectionOnceAndIsIdempotent() {
        Connection connection = factory.create().block(Duration.ofSeconds(10));
        assertThat(factory.metrics().leased()).isEqualTo(1);

        Mono.from(connection.close()).block(Duration.ofSeconds(10));
        Mono.from(connection.close()).block(Duration.ofSeconds(10));
        Flux.merge(connection.close(), connection.close(), connection.close()).blockLast(Duration.ofSeconds(10));

        assertThat(factory.metrics().leased()).isZero();
        assertThat(factory.metrics().idle()).isEqualTo(1);
        // A second borrower gets the same (clean) connection: it was returned once, not destroyed.
        Connection again = factory.create().block(Duration.ofSeconds(10));
        assertThat(factory.metrics().created()).isEqualTo(1);
        assertThat(factory.metrics().leased()).isEqualTo(1);
        Mono.from(again.close()).block(Duration.ofSeconds(10));
    }

    @Test
    void everyUseAfterCloseFailsSayingTheConnectionWasReturned() {
        Connection connection = factory.create().block(Duration.ofSeconds(10));
        Statement preparedBeforeClose = connection.createStatement("SELECT 1");
        @SuppressWarnings("unchecked")
        Connection driverConnection = ((Wrapped<Connection>) connection).unwrap();
        assertThat(driverConnection.getClass().getName()).contains("Postgresql");

        Mono.from(connection.close()).block(Duration.ofSeconds(10));

        assertReturned(() -> connection.createStatement("SELECT 1"));
        assertReturned(connection::createBatch);
        assertReturned(connection::isAutoCommit);
        assertReturned(connection::getMetadata);
        assertReturned(connection::getTransactionIsolationLevel);
        assertReturned(((Wrapped<?>) connection)::unwrap);
        assertReturned(() -> preparedBeforeClose.bind("$1", 1));
        StepVerifier.create(Flux.from(preparedBeforeClose.execute()))
                .expectErrorSatisfies(ReturnedConnectionTest::isReturnedError).verify(Duration.ofSeconds(5));
        StepVerifier.create(connection.beginTransaction())
                .expectErrorSatisfies(ReturnedConnectionTest::isReturnedError).verify(Duration.ofSeconds(5));
        StepVerifier.create(connection.commitTransaction())
                .expectErrorSatisfies(ReturnedConnectionTest::isReturnedError).verify(Duration.ofSeconds(5));
        StepVerifier.create(connection.setStatementTimeout(Duration.ofSeconds(1)))
                .expectErrorSatisfies(ReturnedConnectionTest::isReturnedError).verify(Duration.ofSeconds(5));
        // The SPI requires validate() of a closed connection to emit false rather than fail.
        StepVerifier.create(connection.validate(ValidationDepth.REMOTE)).expectNext(false).verifyComplete();
        StepVerifier.create(connection.close()).verifyComplete();
        assertThat(factory.metrics().leased()).isZero();
    }

    @Test
    void aPublisherObtainedBeforeCloseFailsWhenSubscribedAfter() {
        Connection connection = factory.create().block(Duration.ofSeconds(10));
        Statement statement = connection.createStatement("SELECT 1");
        Flux<?> execution = Flux.from(statement.execute());
        Mono<Void> begin = Mono.from(connection.beginTransaction());
        Mono.from(connection.close()).block(Duration.ofSeconds(10));

        StepVerifier.create(execution).expectErrorSatisfies(ReturnedConnectionTest::isReturnedError)
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(begin).expectErrorSatisfies(ReturnedConnectionTest::isReturnedError)
                .verify(Duration.ofSeconds(5));
    }

    private static void assertReturned(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).satisfies(ReturnedConnectionTest::isReturnedError);
    }

    private static void isReturnedError(Throwable error) {
        assertThat(error).isInstanceOf(R2dbcNonTransientResourceException.class)
                .hasMessageContaining("returned to the pool");
    }
}
