package dev.reactivepool.http;

import dev.reactivepool.http.internal.HostPool;
import dev.reactivepool.http.internal.HostPoolListener;
import dev.reactivepool.micrometer.PoolMeterBinder;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Exposes the metrics of every per-host pool of a {@link ReactivePoolConnectionProvider} as
 * Micrometer meters: the core pool's meters ({@code reactivepool.idle}, {@code .leased},
 * {@code .pending}, {@code .total}, {@code .acquired}, ...; see
 * {@link PoolMeterBinder}), tagged {@code pool=<provider name>[<remote address>]} and
 * {@code remote.address=<remote address>}. Pools created later are bound as they appear; the
 * meters of a pool that is closed (retired, {@code disposeWhen}, provider disposed) are removed.
 *
 * <pre>{@code
 * new ConnectionProviderMeterBinder(provider).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>Micrometer is an optional dependency: only this class needs it.
 */
public final class ConnectionProviderMeterBinder implements MeterBinder {

    private final ReactivePoolConnectionProvider provider;

    /**
     * @param provider the provider whose pools to expose
     */
    public ConnectionProviderMeterBinder(ReactivePoolConnectionProvider provider) {
        this.provider = provider;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        // Listen first, then bind the pools that exist: a pool created in between is bound
        // twice, which Micrometer tolerates (same meter ids).
        provider.registry().addListener(new HostPoolListener() {
            @Override
            public void onCreated(HostPool pool) {
                bind(pool, registry);
            }

            @Override
            public void onRemoved(HostPool pool) {
                String name = pool.pool().name();
                for (Meter meter : registry.getMeters()) {
                    if (name.equals(meter.getId().getTag("pool"))) {
                        registry.remove(meter);
                    }
                }
            }
        });
        for (HostPool pool : provider.registry().pools()) {
            bind(pool, registry);
        }
    }

    private static void bind(HostPool pool, MeterRegistry registry) {
        new PoolMeterBinder(pool.pool(), Tags.of("remote.address", String.valueOf(pool.key().remoteAddress())))
                .bindTo(registry);
    }
}
