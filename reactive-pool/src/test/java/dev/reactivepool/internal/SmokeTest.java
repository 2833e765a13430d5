package dev.reactivepool.internal;

import java.util.concurrent.atomic.AtomicInteger;

import dev.reactivepool.Lease;
import dev.reactivepool.Pool;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {
    @Test
    void acquireReleaseCycle() {
        AtomicInteger n = new AtomicInteger();
        Pool<Integer> pool = Pool.builder(Mono.fromCallable(n::incrementAndGet)).maxSize(2).build();
        Lease<Integer> a = pool.acquire().block();
        Lease<Integer> b = pool.acquire().block();
        assertThat(a.get()).isEqualTo(1);
        assertThat(b.get()).isEqualTo(2);
        StepVerifier.create(pool.acquire()).expectSubscription().then(() -> a.release().subscribe())
                .assertNext(l -> { assertThat(l.get()).isEqualTo(1); l.release().block(); }).verifyComplete();
        b.release().block();
        assertThat(Flux.range(0, 100).flatMap(i -> pool.withLease(x -> Mono.just(x))).count().block()).isEqualTo(100);
        assertThat(pool.metrics().total()).isEqualTo(2);
        System.out.println(pool.metrics());
    }
}
