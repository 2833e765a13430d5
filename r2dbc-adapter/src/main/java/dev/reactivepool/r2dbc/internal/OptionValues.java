package dev.reactivepool.r2dbc.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.reactivepool.InvalidPoolConfigurationException;
import reactor.core.scheduler.Scheduler;

/**
 * Converts option values, as text from a URL or typed from code, into the types the builder
 * takes. Every failure is an {@link InvalidPoolConfigurationException} naming the option and
 * showing the value given (pool option values hold no secrets; values of foreign options, which
 * may, are never passed here).
 */
public final class OptionValues {

    /** A number followed by a unit: 500ms, 5s, 2m, 1h, 1d, 10us, 100ns. */
    private static final Pattern PLAIN_DURATION = Pattern.compile("(\\d{1,18})(ns|us|ms|s|m|h|d)");

    private static final String DURATION_FORMS = "an ISO-8601 duration such as PT5S or PT0.5S, a number with a unit "
            + "(ns, us, ms, s, m, h, d) such as 500ms or 5s, or 0";

    private OptionValues() {
    }

    /**
     * @param option the option's name, for the error message
     * @param value  an {@code Integer}, {@code Long}, {@code Short} or {@code Byte} in range, or decimal text
     * @return the value as an int
     */
    public static int toInt(String option, Object value) {
        long l = toLong(option, value);
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw invalid(option, "an integer between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE,
                    "'" + value + "'");
        }
        return (int) l;
    }

    /**
     * @param option the option's name, for the error message
     * @param value  an integral {@code Number} or decimal text
     * @return the value as a long
     */
    public static long toLong(String option, Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof CharSequence) {
            String text = value.toString().trim();
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw invalid(option, "an integer", "'" + text + "'");
            }
        }
        throw invalid(option, "an integer", describe(value));
    }

    /**
     * @param option the option's name, for the error message
     * @param value  a {@code Duration}, or text in ISO-8601 ({@code PT5S}) or as a number with a
     *               unit ({@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d}, {@code 10us},
     *               {@code 100ns}), or {@code 0}
     * @return the duration (negative ISO values are returned as given, for the range check to report)
     */
    public static Duration toDuration(String option, Object value) {
        if (value instanceof Duration duration) {
            return duration;
        }
        if (!(value instanceof CharSequence)) {
            throw invalid(option, "a duration, " + DURATION_FORMS, describe(value));
        }
        String text = value.toString().trim();
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        Matcher plain = PLAIN_DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (plain.matches()) {
            long amount = Long.parseLong(plain.group(1));
            try {
                return switch (plain.group(2)) {
                    case "ns" -> Duration.ofNanos(amount);
                    case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1000L));
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            } catch (ArithmeticException e) {
                throw invalid(option, "a duration of at most 365 days", "'" + text + "'");
            }
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid(option, DURATION_FORMS, "'" + text + "'");
        }
    }

    /**
     * @param option the option's name, for the error message
     * @param value  a constant of {@code type}, or its name in any case
     * @param type   the enumeration
     * @param <E>    the enumeration type
     * @return the constant
     */
    public static <E extends Enum<E>> E toEnum(String option, Object value, Class<E> type) {
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        if (value instanceof CharSequence) {
            String text = value.toString().trim();
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(text)) {
                    return constant;
                }
            }
            throw invalid(option, "one of " + Arrays.toString(type.getEnumConstants()), "'" + text + "'");
        }
        throw invalid(option, "one of " + Arrays.toString(type.getEnumConstants()), describe(value));
    }

    /**
     * @param option the option's name, for the error message
     * @param value  a Boolean, or the text true or false (any case)
     * @return the value
     */
    public static boolean toBoolean(String option, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof CharSequence) {
            String text = value.toString().trim();
            if (text.equalsIgnoreCase("true")) {
                return true;
            }
            if (text.equalsIgnoreCase("false")) {
                return false;
            }
        }
        throw invalid(option, "true or false", describe(value));
    }

    /**
     * @param option the option's name, for the error message
     * @param value  non-blank text
     * @return the trimmed text
     */
    public static String toNonBlankString(String option, Object value) {
        if (value instanceof CharSequence && !value.toString().isBlank()) {
            return value.toString().trim();
        }
        throw invalid(option, "a non-blank string", describe(value));
    }

    /**
     * @param option the option's name, for the error message
     * @param value  a {@link Scheduler} instance
     * @return the scheduler
     */
    public static Scheduler toScheduler(String option, Object value) {
        if (value instanceof Scheduler scheduler) {
            return scheduler;
        }
        throw invalid(option, "a reactor.core.scheduler.Scheduler instance (settable in code through "
                + "ConnectionFactoryOptions or the builder, not in a URL)", describe(value));
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof CharSequence) {
            return "'" + value + "'";
        }
        return "a " + value.getClass().getName();
    }

    private static InvalidPoolConfigurationException invalid(String option, String accepted, String given) {
        return new InvalidPoolConfigurationException(option, accepted, given);
    }
}
