package dev.reactivepool.spring.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A WebFlux + Spring Data R2DBC + actuator application that uses the starter the way a user does:
 * the dependency and properties only (see the tests for the properties).
 */
@SpringBootApplication
public class TestApplication {
}
