package dev.reactivepool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;
import reactor.util.function.Tuples;

/** {@link DroppedLeases}: the global onNextDropped hook and the chain discard handler, one path at a time. */
class DroppedLeasesTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final Pool<Object> pool = Pool.builder(Mono.fromCallable(Object::new)).maxSize(2).build();

    @AfterEach
    void close() {
        pool.dispose();
    }

    @Test
    void aLeaseDeliveredToASubscriberThatAlreadyCancelledGoesBack() {
        Lease<Object> lease = pool.acquire().block(WAIT);
        // A publisher that delivers after the cancel, as Reactive Streams rule 2.8 allows.
        AtomicReference<CoreSubscriber<? super Lease<Object>>> late = new AtomicReference<>();
        Mono<Lease<Object>> racing = Mono.fromDirect(s -> {
            late.set((CoreSubscriber<? super Lease<Object>>) s);
            s.onSubscribe(Operators.emptySubscription());
        });
        AtomicInteger received = new AtomicInteger();
        Disposable subscription = racing.subscribe(l -> received.incrementAndGet());
        subscription.dispose();

        late.get().onNext(lease); // LambdaMonoSubscriber drops it through Operators.onNextDropped

        assertThat(received).hasValue(0);
        assertThat(lease.isReleased()).isTrue();
        assertThat(pool.metrics().leased()).isZero();
        assertThat(pool.metrics().reclaimed()).isEqualTo(1);
    }

    @Test
    void aLeaseDiscardedByZipGoesBackWhenTheChainCarriesTheHandler() {
        RuntimeException failure = new IllegalStateException("sibling failed");

        // Without the handler, zip discards the lease it holds, and nobody releases it.
        Mono.zip(pool.acquire(), Mono.error(failure)).onErrorResume(e -> Mono.empty()).block(WAIT);
        assertThat(pool.metrics().leased()).isEqualTo(1);

        Mono.zip(pool.acquire(), Mono.error(failure)).onErrorResume(e -> Mono.empty())
                .contextWrite(DroppedLeases.discardHandler()).block(WAIT);
        assertThat(pool.metrics().leased()).as("only the first one is still out").isEqualTo(1);
        assertThat(pool.metrics().reclaimed()).isEqualTo(1);
    }

    @Test
    void theHandlerComposesWithOtherDiscardHandlersAndIsAddedOnce() {
        AtomicInteger seenByUser = new AtomicInteger();
        Mono.zip(pool.acquire(), Mono.error(new IllegalStateException()))
                .doOnDiscard(Lease.class, l -> seenByUser.incrementAndGet())
                .onErrorResume(e -> Mono.empty())
                .contextWrite(DroppedLeases.discardHandler())
                .contextWrite(DroppedLeases.discardHandler())
                .block(WAIT);

        assertThat(seenByUser).hasValue(1);
        assertThat(pool.metrics().leased()).isZero();
        assertThat(pool.metrics().reclaimed()).isEqualTo(1);
        Context once = DroppedLeases.withDiscardHandler(Context.empty());
        assertThat(DroppedLeases.withDiscardHandler(once)).isSameAs(once);
    }

    @Test
    void onlyTheLibrarysValuesAreReclaimed() {
        Lease<Object> lease = pool.acquire().block(WAIT);

        assertThat(DroppedLeases.reclaim("not ours")).isFalse();
        assertThat(DroppedLeases.reclaim(Tuples.of("zip result", lease))).isTrue();
        assertThat(lease.isReleased()).isTrue();
        assertThat(DroppedLeases.reclaim(lease)).as("a released lease stays released").isTrue();
        assertThat(pool.metrics().reclaimed()).isEqualTo(1);
        assertThat(pool.metrics().leased()).isZero();
    }

    @Test
    void theHookIsReinstalledAfterReactorsHooksAreResetAndCanBeTurnedOff() {
        Hooks.resetOnNextDropped();
        String before = System.getProperty(DroppedLeases.HOOK_PROPERTY);
        try {
            System.setProperty(DroppedLeases.HOOK_PROPERTY, "false");
            assertThat(DroppedLeases.installHook()).isFalse();
            Lease<Object> dropped = pool.acquire().block(WAIT);
            Operators.onNextDropped(dropped, Context.empty());
            assertThat(dropped.isReleased()).as("opted out: nobody reclaims it").isFalse();

            System.clearProperty(DroppedLeases.HOOK_PROPERTY);
            Pool.builder(Mono.just(new Object())).build().dispose(); // building a pool installs it again
            Operators.onNextDropped(dropped, Context.empty());
            assertThat(dropped.isReleased()).isTrue();
            assertThat(DroppedLeases.installHook()).isTrue();
        } finally {
            if (before != null) {
                System.setProperty(DroppedLeases.HOOK_PROPERTY, before);
            }
            DroppedLeases.installHook();
        }
    }
}
