package dev.reactivepool.spring;

import dev.reactivepool.InvalidPoolConfigurationException;

/**
 * A pool option set through a Spring property (or the R2DBC URL) is out of its range. Thrown when
 * the starter builds a pool; Spring Boot's failure analysis turns it into a report naming the
 * property, its range and the fix. The message never holds a password: it names the property and
 * the offending option's value only.
 */
public final class InvalidPoolPropertyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The Spring property the user set. */
    private final String property;
    /** The pool option it sets, as the builder names it. */
    private final String option;
    /** What is wrong with the value. */
    private final String problem;

    /**
     * @param property the Spring property the user set, for example {@code spring.r2dbc.pool.max-size}
     * @param option   the pool option it sets, as the builder names it, for example {@code maxSize}
     * @param problem  what is wrong: the range and the value given, in property names
     * @param cause    the pool's own error, or null
     */
    public InvalidPoolPropertyException(String property, String option, String problem,
                                        InvalidPoolConfigurationException cause) {
        super("Invalid value of '" + property + "': " + problem, cause);
        this.property = property;
        this.option = option;
        this.problem = problem;
    }

    /** @return the Spring property the user set */
    public String property() {
        return property;
    }

    /** @return the pool option, as the builder names it */
    public String option() {
        return option;
    }

    /** @return the range and the value given */
    public String problem() {
        return problem;
    }
}
