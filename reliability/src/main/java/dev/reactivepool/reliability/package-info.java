/**
 * Test infrastructure for reliability checks: {@link dev.reactivepool.reliability.FaultProxy}, a
 * fault-injecting TCP proxy on Reactor Netty. The fault tests and the soak test of the adapters
 * that use it live in this module's tests. See RELIABILITY.md.
 */
package dev.reactivepool.reliability;
