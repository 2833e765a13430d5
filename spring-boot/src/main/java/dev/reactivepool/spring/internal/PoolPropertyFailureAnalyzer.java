package dev.reactivepool.spring.internal;

import dev.reactivepool.InvalidPoolConfigurationException;
import dev.reactivepool.spring.InvalidPoolPropertyException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Reports a pool option out of range at startup: the property the user set, what is wrong with
 * it (range and value) and the fix, instead of a bean-creation stack. Only the pool's own
 * message is used, which names options and their values, never a URL or a password.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class PoolPropertyFailureAnalyzer implements FailureAnalyzer {

    /** Created by Spring Boot through {@code META-INF/spring.factories}. */
    public PoolPropertyFailureAnalyzer() {
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        InvalidPoolPropertyException property = find(failure, InvalidPoolPropertyException.class);
        if (property != null) {
            return new FailureAnalysis(
                    "Invalid reactive-pool configuration: '" + property.property() + "' " + property.problem()
                            + " (pool option " + property.option() + ").",
                    "Change '" + property.property() + "' in the application's configuration: it "
                            + range(property.problem()) + ".",
                    property);
        }
        InvalidPoolConfigurationException option = find(failure, InvalidPoolConfigurationException.class);
        if (option != null) {
            String message = option.getMessage();
            return new FailureAnalysis("Invalid reactive-pool configuration: " + message + ".",
                    "Change the pool option '" + option.option() + "' where the application sets it (a builder "
                            + "call or the R2DBC URL).",
                    option);
        }
        return null;
    }

    /** "must be at least 1 and at most 100000, was 0" -> "must be at least 1 and at most 100000". */
    private static String range(String problem) {
        int was = problem.lastIndexOf(", was ");
        return was > 0 ? problem.substring(0, was) : problem;
    }

    private static <E extends Throwable> E find(Throwable failure, Class<E> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
