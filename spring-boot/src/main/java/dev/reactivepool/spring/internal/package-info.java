/** Implementation of the starter; not an API. */
package dev.reactivepool.spring.internal;
