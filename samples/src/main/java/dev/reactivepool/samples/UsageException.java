package dev.reactivepool.samples;

/**
 * A command line the demo cannot run: an unknown flag, a missing value or a value out of range.
 * The message names the flag and what is allowed; {@link DemoOptions#usage()} says the rest.
 */
public final class UsageException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the flag and the allowed values */
    public UsageException(String message) {
        super(message);
    }
}
