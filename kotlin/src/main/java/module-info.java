/**
 * Kotlin coroutine extensions for reactive-pool: suspending acquire and use, flows of leases and
 * metrics, a pool-building DSL, and coroutine helpers for the R2DBC adapter.
 */
module dev.reactivepool.kotlin {
    requires transitive dev.reactivepool;
    requires transitive kotlin.stdlib;
    requires transitive kotlinx.coroutines.core;
    requires kotlinx.coroutines.reactive;
    requires kotlinx.coroutines.reactor;
    // The R2DBC extensions apply only when the adapter is present.
    requires static dev.reactivepool.r2dbc;
    requires static r2dbc.spi;

    exports dev.reactivepool.kotlin;
}
