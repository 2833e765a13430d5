package dev.reactivepool;

/**
 * Thrown by {@link PoolBuilder#build()} (and by adapters parsing options) when an option is out
 * of its allowed range or options contradict each other. The message names the option, the
 * value given and the allowed range.
 */
public final class InvalidPoolConfigurationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String option;

    /**
     * @param option  the name of the offending option, as the builder method names it
     * @param message what is wrong, including the value given and the allowed range
     */
    public InvalidPoolConfigurationException(String option, String message) {
        super("Invalid pool option '" + option + "': " + message);
        this.option = option;
    }

    /** @return the name of the offending option */
    public String option() {
        return option;
    }
}
