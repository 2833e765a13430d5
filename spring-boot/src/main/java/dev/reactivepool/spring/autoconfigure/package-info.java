/**
 * Spring Boot auto-configuration: reactive-pool as the application's R2DBC ConnectionFactory
 * ({@code spring.r2dbc.*}, {@code reactivepool.r2dbc.*}), as the connection provider of the
 * auto-configured WebClient.Builder ({@code reactivepool.http.*}), with Micrometer meters, and a
 * WebFilter that gives back leases dropped by a request's operators.
 */
package dev.reactivepool.spring.autoconfigure;
