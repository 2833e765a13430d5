package dev.reactivepool.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import dev.reactivepool.PoolMetrics;

/** Waits for a provider's pools to settle, with a timeout. */
final class PoolAwait {

    private PoolAwait() {
    }

    /**
     * Waits until no connection is leased, opening or waited for. Reactor Netty completes a
     * response's body before it terminates the request and returns the connection (on the
     * connection's event loop), so a caller that starts the next request the instant the previous
     * body arrived can overtake that return; sequential tests wait for it.
     */
    static void awaitQuiet(ReactivePoolConnectionProvider provider) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                .untilAsserted(() -> assertThat(isQuiet(provider))
                        .as("no connection leased, opening or waited for: %s", provider.metricsPerHost())
                        .isTrue());
    }

    /** Waits until the provider's only host pool has {@code leased} connections leased. */
    static void awaitLeased(ReactivePoolConnectionProvider provider, int leased) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                .untilAsserted(() -> assertThat(only(provider).leased()).isEqualTo(leased));
    }

    static boolean isQuiet(ReactivePoolConnectionProvider provider) {
        for (PoolMetrics m : provider.metricsPerHost().values()) {
            if (m.leased() != 0 || m.pending() != 0 || m.creating() != 0) {
                return false;
            }
        }
        return true;
    }

    /** @return the metrics of the provider's only host */
    static PoolMetrics only(ReactivePoolConnectionProvider provider) {
        Map<?, PoolMetrics> all = provider.metricsPerHost();
        if (all.size() != 1) {
            throw new AssertionError("expected one host pool, found " + all);
        }
        return all.values().iterator().next();
    }
}
