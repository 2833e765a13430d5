package dev.reactivepool.spring.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.reactivepool.InvalidPoolConfigurationException;
import dev.reactivepool.spring.InvalidPoolPropertyException;

/**
 * Remembers, for each pool option the starter set, the Spring property it came from, so that an
 * {@link InvalidPoolConfigurationException} (which names the builder option, for example
 * {@code maxSize}) is reported with the property the user wrote (for example
 * {@code spring.r2dbc.pool.max-size}). Options nobody set are named after the property that
 * would set them, so that a conflict with a default reads in property names too.
 */
public final class OptionSources {

    private static final String PREFIX = "Invalid pool option '";
    private static final Pattern WORD = Pattern.compile("\\b[a-z][A-Za-z]*\\b");

    private final Map<String, String> set = new LinkedHashMap<>();
    private final Map<String, String> known;
    private final String unmapped;

    /**
     * @param known    for every option, the property that sets it
     * @param unmapped what to name an option that no property sets (for example the URL property)
     */
    public OptionSources(Map<String, String> known, String unmapped) {
        this.known = Map.copyOf(known);
        this.unmapped = unmapped;
    }

    /**
     * Records that {@code option} was set from {@code property}.
     *
     * @param option   the builder's option name
     * @param property the property, or a description such as "spring.r2dbc.url (option maxSize)"
     */
    public void record(String option, String property) {
        set.put(option, property);
    }

    /**
     * @param option the builder's option name
     * @return whether a property set it
     */
    public boolean isSet(String option) {
        return set.containsKey(option);
    }

    /**
     * @param option the builder's option name, possibly with a suffix such as {@code creationBackoff.initial}
     * @return the property that set it, or the one that would
     */
    public String propertyFor(String option) {
        for (String name : new String[] {option, joined(option)}) {
            String property = set.containsKey(name) ? set.get(name) : known.get(name);
            if (property != null) {
                return property;
            }
        }
        return unmapped + " (option " + option + ")";
    }

    /** "creationBackoff.initial" or "maxLifeTime jitter" (compound names of the core and adapters) in camel case. */
    private static String joined(String option) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : option.toCharArray()) {
            if (c == '.' || c == ' ') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    /**
     * Turns the pool's error into one that names the property, with the option names in its
     * text replaced by their properties.
     *
     * @param e the pool's error
     * @return the error to throw
     */
    public InvalidPoolPropertyException translate(InvalidPoolConfigurationException e) {
        String problem;
        if (e.allowedRange().isPresent()) {
            problem = "must be " + e.allowedRange().get() + ", was " + e.rejectedValue().orElse("null");
        } else {
            String message = e.getMessage();
            String head = PREFIX + e.option() + "': ";
            problem = message.startsWith(head) ? message.substring(head.length()) : message;
        }
        return new InvalidPoolPropertyException(propertyFor(e.option()), e.option(), inPropertyNames(problem), e);
    }

    private String inPropertyNames(String text) {
        Matcher matcher = WORD.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String word = matcher.group();
            String property = known.get(word);
            matcher.appendReplacement(out, Matcher.quoteReplacement(property != null ? property : word));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
