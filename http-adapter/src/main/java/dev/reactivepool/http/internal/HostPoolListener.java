package dev.reactivepool.http.internal;

/** Told when the registry creates a per-host pool and when it stops using one. */
public interface HostPoolListener {

    /**
     * A pool was created and is now used for its host.
     *
     * @param pool the new pool
     */
    void onCreated(HostPool pool);

    /**
     * A pool was removed from the registry (retired, disposed for its host, or the provider was
     * disposed) and is closing.
     *
     * @param pool the removed pool
     */
    void onRemoved(HostPool pool);
}
