package dev.reactivepool.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

import dev.reactivepool.r2dbc.internal.ConnectionPolicy;
import dev.reactivepool.r2dbc.internal.ConnectionResetter;
import dev.reactivepool.r2dbc.internal.ConnectionState;
import dev.reactivepool.r2dbc.internal.ConnectionValidator;
import dev.reactivepool.r2dbc.internal.PooledConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.ValidationDepth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

/**
 * The common acquire and return cost no subscription and no timer: the validation of a driver
 * whose local check is synchronous, and the reset of a connection the borrower left untouched,
 * are constants the pool reads at once; yet both still refuse what they must.
 */
final class HotPathTest {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static ConnectionPolicy policy(Duration remoteValidationAfterIdle) {
        return new ConnectionPolicy(ValidationDepth.REMOTE, remoteValidationAfterIdle, null, null, Duration.ZERO,
                Duration.ZERO);
    }

    @Test
    void aSynchronousLocalCheckIsAConstantVerdictThatStillRefusesATransactionOrAClosedConnection() {
        Connection raw = Mono.from(PgSupport.driver(PG.port(), "hot-path-validation").create()).block(WAIT);
        ConnectionState state = ConnectionState.capture(raw);
        ConnectionValidator validator = new ConnectionValidator(policy(Duration.ofHours(1)));

        Mono<Boolean> healthy = validator.validate(state);
        assertThat(healthy).as("read at once: no subscription, no timer").isInstanceOf(Fuseable.ScalarCallable.class);
        StepVerifier.create(healthy).expectNext(true).verifyComplete();

        Mono.from(raw.beginTransaction()).block(WAIT);
        Mono<Boolean> inTransaction = validator.validate(state);
        assertThat(inTransaction).isInstanceOf(Fuseable.ScalarCallable.class);
        StepVerifier.create(inTransaction).expectNext(false).verifyComplete();
        Mono.from(raw.rollbackTransaction()).block(WAIT);

        Mono.from(raw.close()).block(WAIT);
        StepVerifier.create(validator.validate(state)).expectNext(false).verifyComplete();
    }

    @Test
    void aDueRoundTripIsStillSubscribed() {
        Connection raw = Mono.from(PgSupport.driver(PG.port(), "hot-path-remote").create()).block(WAIT);
        try {
            ConnectionState state = ConnectionState.capture(raw);
            Mono<Boolean> check = new ConnectionValidator(policy(Duration.ZERO)).validate(state);
            assertThat(check).isNotInstanceOf(Fuseable.ScalarCallable.class);
            StepVerifier.create(check).expectNext(true).verifyComplete();
        } finally {
            Mono.from(raw.close()).block(WAIT);
        }
    }

    @Test
    void aConnectionClosedInsideTheDriversSubscribeAfterItsQueryEndedGetsTheConstantReset() {
        // A driver that answers inside subscribe (its data already there), as a fast driver may.
        Connection driver = fake((method, args) -> switch (method) {
            case "isAutoCommit" -> true;
            case "getTransactionIsolationLevel" -> IsolationLevel.READ_COMMITTED;
            case "createStatement" -> fakeStatement();
            case "validate" -> Mono.just(true);
            default -> throw new UnsupportedOperationException(method);
        });
        ConnectionState state = ConnectionState.capture(driver);
        ConnectionResetter resetter = new ConnectionResetter(policy(Duration.ofSeconds(5)));
        PooledConnection borrowed = new PooledConnection(new DetachedLease(state), "hot-path");

        AtomicReference<Mono<Void>> resetOnCompletion = new AtomicReference<>();
        Flux.from(borrowed.createStatement("SELECT 1").execute())
                .flatMap(result -> result.map((row, metadata) -> 1))
                .then()
                // still inside the driver's subscribe, as a borrower closing on completion would be
                .doOnSuccess(nothing -> resetOnCompletion.set(resetter.reset(state)))
                .block(WAIT);
        assertThat(resetOnCompletion.get()).as("no wait for operations still entering")
                .isInstanceOf(Fuseable.ScalarCallable.class);

        // Cut short inside subscribe: the server may still run it, so the reset must synchronise.
        AtomicReference<Mono<Void>> resetOnCancel = new AtomicReference<>();
        Mono.from(borrowed.createStatement("SELECT 1").execute())
                .doOnSuccess(first -> resetOnCancel.set(resetter.reset(state)))
                .block(WAIT);
        assertThat(resetOnCancel.get()).isNotInstanceOf(Fuseable.ScalarCallable.class);
    }

    @Test
    void theDriverSeesTheBorrowersContextWhichIsReadOncePerOperation() {
        // r2dbc-postgresql asks for the context on every row it handles; each ask used to walk the
        // borrower's whole operator chain.
        AtomicInteger driverAsks = new AtomicInteger();
        AtomicReference<Object> seen = new AtomicReference<>();
        Publisher<Result> execution = subscriber -> {
            CoreSubscriber<? super Result> core = (CoreSubscriber<? super Result>) subscriber;
            for (int i = 0; i < 3; i++) {
                seen.set(core.currentContext().getOrDefault("tenant", "none"));
                driverAsks.incrementAndGet();
            }
            Operators.complete(subscriber);
        };
        Connection driver = fake((method, args) -> switch (method) {
            case "isAutoCommit" -> true;
            case "getTransactionIsolationLevel" -> IsolationLevel.READ_COMMITTED;
            case "createStatement" -> fakeStatement(execution);
            default -> throw new UnsupportedOperationException(method);
        });
        PooledConnection borrowed = new PooledConnection(new DetachedLease(ConnectionState.capture(driver)), "hot-path");
        AtomicInteger borrowerAsks = new AtomicInteger();
        CoreSubscriber<Result> borrower = new BaseSubscriber<>() {
            @Override
            public Context currentContext() {
                borrowerAsks.incrementAndGet();
                return Context.of("tenant", "acme");
            }
        };

        borrowed.createStatement("SELECT 1").execute().subscribe(borrower);

        assertThat(seen.get()).isEqualTo("acme");
        assertThat(driverAsks.get()).isEqualTo(3);
        assertThat(borrowerAsks.get()).as("the borrower's chain is walked once, not on every ask").isEqualTo(1);
    }

    private static Statement fakeStatement() {
        Result result = (Result) Proxy.newProxyInstance(HotPathTest.class.getClassLoader(),
                new Class<?>[] {Result.class}, (proxy, m, args) -> {
                    if (m.getName().equals("map") && args[0] instanceof BiFunction) {
                        return Flux.just(1);
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        return fakeStatement(Flux.just(result, result));
    }

    private static Statement fakeStatement(Publisher<Result> execution) {
        return (Statement) Proxy.newProxyInstance(HotPathTest.class.getClassLoader(),
                new Class<?>[] {Statement.class}, (proxy, m, args) -> {
                    if (m.getName().equals("execute")) {
                        return execution;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    private static Connection fake(BiFunction<String, Object[], Object> behaviour) {
        return (Connection) Proxy.newProxyInstance(HotPathTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, m, args) -> behaviour.apply(m.getName(), args));
    }
}
