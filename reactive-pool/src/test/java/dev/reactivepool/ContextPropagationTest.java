package dev.reactivepool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The acquirer's Reactor context reaches the user callbacks that run on its behalf: the
 * allocator of an object created for it (also after a hand-off to another thread) and the
 * validation of an object about to be leased to it; a reset sees the releaser's context.
 * Tracing and security contexts that live in the Reactor context depend on this.
 */
class ContextPropagationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<String> allocatorSaw = new CopyOnWriteArrayList<>();
    private final List<String> validatorSaw = new CopyOnWriteArrayList<>();
    private final List<String> resetterSaw = new CopyOnWriteArrayList<>();
    private Pool<Object> pool;

    @AfterEach
    void close() {
        pool.close().block(WAIT);
    }

    private Pool<Object> pool() {
        // Non-constant callbacks (Mono.deferContextual), so the pool subscribes to them.
        pool = Pool.builder(Mono.deferContextual(ctx -> {
                    allocatorSaw.add(ctx.getOrDefault("who", "nobody"));
                    return Mono.<Object>just(new Object()).subscribeOn(Schedulers.parallel());
                }))
                .maxSize(1)
                .validator(o -> Mono.deferContextual(ctx -> {
                    validatorSaw.add(ctx.getOrDefault("who", "nobody"));
                    return Mono.just(true);
                }))
                .resetter(o -> Mono.deferContextual(ctx -> {
                    resetterSaw.add(ctx.getOrDefault("who", "nobody"));
                    return Mono.empty();
                }))
                .build();
        return pool;
    }

    @Test
    void theAllocatorAndTheValidatorSeeTheAcquirersContextAndTheResetterTheReleasers() {
        Pool<Object> pool = pool();

        Lease<Object> first = pool.acquire().contextWrite(ctx -> ctx.put("who", "first")).block(WAIT);
        first.release().contextWrite(ctx -> ctx.put("who", "first-releaser")).block(WAIT);
        Lease<Object> second = pool.acquire().contextWrite(ctx -> ctx.put("who", "second")).block(WAIT);
        second.release().block(WAIT);

        assertThat(allocatorSaw).containsExactly("first");
        assertThat(validatorSaw).containsExactly("second");
        assertThat(resetterSaw).containsExactly("first-releaser", "nobody");
    }

    @Test
    void aRefillOrWarmupCreatesWithAnEmptyContext() {
        Pool<Object> pool = Pool.builder(Mono.deferContextual(ctx -> {
                    allocatorSaw.add(ctx.getOrDefault("who", "nobody"));
                    return Mono.<Object>just(new Object());
                }))
                .maxSize(2).minIdle(2)
                .build();
        this.pool = pool;

        assertThat(pool.warmup().contextWrite(ctx -> ctx.put("who", "warmup")).block(WAIT)).isEqualTo(2);

        assertThat(allocatorSaw).containsExactly("nobody", "nobody");
    }
}
