package dev.reactivepool;

import java.util.Objects;
import java.util.Optional;

/**
 * Thrown by {@link PoolBuilder#build()} (and by the adapters' builders and URL parsing) when an
 * option is unknown, malformed, out of its allowed range, or contradicts another option. The
 * message has the form {@code Invalid pool option '<option>': <problem>}, where the option is
 * named as the caller wrote it (a builder method, a URL option, a property) and the problem gives
 * the value and the allowed range.
 *
 * <p>The parts of the message are also available separately ({@link #option()},
 * {@link #allowedRange()}, {@link #rejectedValue()}), so that a framework can report the error
 * under its own name for the option, for example a configuration property.
 */
public final class InvalidPoolConfigurationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The offending option, as the caller wrote it. */
    private final String option;
    /** What the option accepts, or null. */
    private final String allowedRange;
    /** The rejected value as text, or null. */
    private final String rejectedValue;

    /**
     * An error whose problem is free text, for example an unknown option.
     *
     * @param option  the name of the offending option, as the caller wrote it
     * @param message what is wrong, including the value given and, if any, the allowed range
     */
    public InvalidPoolConfigurationException(String option, String message) {
        this(option, message, null, null, null);
    }

    /**
     * An error for a value outside its range; the message reads
     * {@code must be <allowedRange>, was <rejectedValue>}.
     *
     * @param option        the name of the offending option, as the caller wrote it
     * @param allowedRange  what the option accepts, for example {@code at least 1 and at most 100000}
     * @param rejectedValue the value given, as text (never a secret: pool options hold none)
     */
    public InvalidPoolConfigurationException(String option, String allowedRange, String rejectedValue) {
        this(option, "must be " + allowedRange + ", was " + rejectedValue,
                Objects.requireNonNull(allowedRange, "allowedRange"), rejectedValue, null);
    }

    private InvalidPoolConfigurationException(String option, String problem, String allowedRange,
                                              String rejectedValue, Throwable cause) {
        super("Invalid pool option '" + option + "': " + problem, cause);
        this.option = option;
        this.allowedRange = allowedRange;
        this.rejectedValue = rejectedValue;
    }

    /**
     * The same error, located: the message gains {@code (in <where>)}, for example the remote host
     * whose overrides hold the option. Option, range and value are kept; this error is the cause.
     *
     * @param where where the option was given, for example {@code forRemoteHost(api.example.com:443)}
     * @return a new exception
     */
    public InvalidPoolConfigurationException within(String where) {
        String problem = getMessage().substring(("Invalid pool option '" + option + "': ").length());
        return new InvalidPoolConfigurationException(option, problem + " (in " + where + ")", allowedRange,
                rejectedValue, this);
    }

    /** @return the name of the offending option, as the caller wrote it */
    public String option() {
        return option;
    }

    /**
     * @return what the option accepts, as text (for example {@code at least 1 and at most 100000},
     *         or {@code between 0 and maxSize (10)} when the range depends on another option);
     *         empty when the error is not about a range (an unknown option)
     */
    public Optional<String> allowedRange() {
        return Optional.ofNullable(allowedRange);
    }

    /**
     * @return the value that was rejected, as text; empty when the error is not about a range
     */
    public Optional<String> rejectedValue() {
        return Optional.ofNullable(rejectedValue);
    }
}
