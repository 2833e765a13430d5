/**
 * jcstress tests of the core pool's races, driven through its public API, and the launcher that
 * runs them in the build and fails it on any FORBIDDEN outcome. See RELIABILITY.md.
 */
package dev.reactivepool.jcstress;
