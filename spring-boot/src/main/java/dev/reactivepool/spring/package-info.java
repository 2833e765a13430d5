/**
 * Spring Boot support for reactive-pool: the starter's public types. The auto-configuration lives
 * in {@code dev.reactivepool.spring.autoconfigure}; adding the starter and setting properties is
 * all an application does.
 */
package dev.reactivepool.spring;
