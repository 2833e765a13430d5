package dev.reactivepool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.test.subscriber.TestSubscriber;

/**
 * DESIGN "No secrets leak": the pool never renders its objects (whose {@code toString()} may hold
 * credentials) in {@code toString()} or in its exception messages; the pool name, which the user
 * chooses, is what identifies the pool.
 */
class NoSecretsTest {

    private static final String SECRET = "s3cr3t-password";

    /** A pooled object that renders a credential, as careless connection classes do. */
    record Connection(int id) {
        @Override
        public String toString() {
            return "Connection[url=postgres://app:" + SECRET + "@db/app, id=" + id + "]";
        }
    }

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final List<Pool<?>> pools = new ArrayList<>();

    @AfterEach
    void closePools() {
        pools.forEach(Pool::dispose);
        clock.dispose();
    }

    @Test
    void neitherToStringNorErrorsRenderThePooledObject() {
        Pool<Connection> pool = Pool.builder(Mono.fromSupplier(() -> new Connection(1)))
                .name("billing-db").maxSize(1).maxPending(1).timerScheduler(clock).build();
        pools.add(pool);
        List<String> rendered = new ArrayList<>();

        Lease<Connection> lease = pool.acquire().block(Duration.ofSeconds(5));
        rendered.add(lease.toString());
        rendered.add(pool.toString());
        rendered.add(pool.metrics().toString());
        TestSubscriber<Lease<Connection>> waiter = TestSubscriber.create();
        pool.acquire(Duration.ofSeconds(1)).subscribe(waiter);
        TestSubscriber<Lease<Connection>> rejected = TestSubscriber.create();
        pool.acquire().subscribe(rejected);
        rendered.add(rejected.expectTerminalError().getMessage());
        clock.advanceTimeBy(Duration.ofSeconds(1));
        rendered.add(waiter.expectTerminalError().getMessage());
        lease.release().block(Duration.ofSeconds(5));
        rendered.add(lease.toString());
        try {
            lease.get();
        } catch (LeaseReleasedException e) {
            rendered.add(e.getMessage());
        }
        TestSubscriber<Lease<Connection>> waitingAtClose = TestSubscriber.create();
        Lease<Connection> again = pool.acquire().block(Duration.ofSeconds(5));
        pool.acquire().subscribe(waitingAtClose);
        pool.close().subscribe();
        rendered.add(waitingAtClose.expectTerminalError().getMessage());
        rendered.add(pool.toString());
        again.release().block(Duration.ofSeconds(5));

        assertThat(rendered).hasSize(9).allSatisfy(text -> assertThat(text).doesNotContain(SECRET));
        assertThat(rendered.subList(3, 5)).allSatisfy(text -> assertThat(text).contains("billing-db"));
        assertThat(rendered.get(6)).contains("billing-db");
        assertThat(rendered.get(7)).contains("billing-db");
    }
}
