package dev.reactivepool.spring.wiring;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** An application with nothing but auto-configuration, as the starter's user has. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class AutoConfiguredApp {
}
