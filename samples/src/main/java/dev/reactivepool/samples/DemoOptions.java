package dev.reactivepool.samples;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's command-line flags.
 *
 * @param concurrency requests in flight at once during each run
 * @param duration    how long each of the two runs measures
 * @param warmup      how long each run warms up before it measures (not counted)
 * @param poolSize    the most database connections, and HTTP connections, the pools may open
 * @param r2dbcUrl    an external database's R2DBC URL, or empty for the embedded PostgreSQL
 */
public record DemoOptions(int concurrency, Duration duration, Duration warmup, int poolSize,
                          Optional<String> r2dbcUrl) {

    /** Default of {@code --concurrency}. */
    public static final int DEFAULT_CONCURRENCY = 32;
    /** Default of {@code --duration}. */
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(10);
    /** Default of {@code --warmup}. */
    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(2);
    /** Default of {@code --pool-size}. */
    public static final int DEFAULT_POOL_SIZE = 10;

    static final int MAX_CONCURRENCY = 256;
    static final int MAX_POOL_SIZE = 100;
    static final Duration MIN_DURATION = Duration.ofMillis(200);
    static final Duration MAX_DURATION = Duration.ofMinutes(10);
    static final Duration MAX_WARMUP = Duration.ofMinutes(1);

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");

    /**
     * Checks the ranges; {@link #parse} gives friendlier messages for command-line input.
     *
     * @param concurrency from 1 to 256
     * @param duration    from 200 ms to 10 min
     * @param warmup      from 0 to 1 min
     * @param poolSize    from 1 to 100
     * @param r2dbcUrl    an external database's R2DBC URL, or empty
     * @throws UsageException naming the flag of the value out of range
     */
    public DemoOptions {
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new UsageException("--concurrency must be from 1 to " + MAX_CONCURRENCY + ", got " + concurrency);
        }
        if (duration.compareTo(MIN_DURATION) < 0 || duration.compareTo(MAX_DURATION) > 0) {
            throw new UsageException("--duration must be from 200ms to 10m, got " + format(duration));
        }
        if (warmup.isNegative() || warmup.compareTo(MAX_WARMUP) > 0) {
            throw new UsageException("--warmup must be from 0s to 1m, got " + format(warmup));
        }
        if (poolSize < 1 || poolSize > MAX_POOL_SIZE) {
            throw new UsageException("--pool-size must be from 1 to " + MAX_POOL_SIZE + ", got " + poolSize);
        }
    }

    /** @return the defaults: the embedded database, 32 requests in flight, 2 s warm-up and 10 s measured per run */
    public static DemoOptions defaults() {
        return new DemoOptions(DEFAULT_CONCURRENCY, DEFAULT_DURATION, DEFAULT_WARMUP, DEFAULT_POOL_SIZE,
                Optional.empty());
    }

    /**
     * Parses {@code --name=value} or {@code --name value} flags.
     *
     * @param args the command line
     * @return the options, defaults for the flags not given
     * @throws UsageException naming the flag and the allowed values if a flag is unknown, lacks
     *                        its value or is out of range
     */
    public static DemoOptions parse(String... args) {
        int concurrency = DEFAULT_CONCURRENCY;
        Duration duration = DEFAULT_DURATION;
        Duration warmup = DEFAULT_WARMUP;
        int poolSize = DEFAULT_POOL_SIZE;
        Optional<String> url = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "': flags start with --");
            }
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (eq >= 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                value = null;
            }
            switch (name) {
                case "--concurrency" -> concurrency = parseInt(name, value, 1, MAX_CONCURRENCY);
                case "--pool-size" -> poolSize = parseInt(name, value, 1, MAX_POOL_SIZE);
                case "--duration" -> duration = parseDuration(name, value, MIN_DURATION, MAX_DURATION, "200ms to 10m");
                case "--warmup" -> warmup = parseDuration(name, value, Duration.ZERO, MAX_WARMUP, "0s to 1m");
                case "--r2dbc-url" -> url = Optional.of(parseUrl(name, value));
                default -> throw new UsageException("unknown flag '" + name + "'");
            }
        }
        return new DemoOptions(concurrency, duration, warmup, poolSize, url);
    }

    /** @return the usage message */
    public static String usage() {
        return """
                usage: java -jar samples/target/reactive-pool-samples.jar [flags]

                Runs the same workload twice, once opening a new connection per request and once
                through reactive-pool, and prints a side-by-side table.

                  --concurrency N     requests in flight at once, 1 to 256 (default 32)
                  --duration D        measured time of each run, 200ms to 10m (default 10s)
                  --warmup D          unmeasured warm-up before each run, 0s to 1m (default 2s)
                  --pool-size N       most connections each pool may open, 1 to 100 (default 10)
                  --r2dbc-url URL     an external PostgreSQL instead of the embedded one, e.g.
                                      r2dbc:postgresql://user:secret@localhost:5432/db
                                      (the demo creates and fills a table reactivepool_demo_item)
                  --help              this message

                Durations: 500ms, 10s, 1m or ISO-8601 (PT10S).""";
    }

    private static int parseInt(String name, String value, int min, int max) {
        String range = "an integer from " + min + " to " + max;
        if (value == null) {
            throw new UsageException(name + " needs a value: " + range);
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min || n > max) {
                throw new UsageException(name + " must be " + range + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be " + range + ", got '" + value + "'");
        }
    }

    private static Duration parseDuration(String name, String value, Duration min, Duration max, String range) {
        String allowed = "a duration from " + range + " (like 500ms, 10s, 1m or PT10S)";
        if (value == null) {
            throw new UsageException(name + " needs a value: " + allowed);
        }
        Duration d;
        Matcher m = SIMPLE_DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMinutes(n);
            };
        } else {
            try {
                d = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new UsageException(name + " must be " + allowed + ", got '" + value + "'");
            }
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new UsageException(name + " must be " + allowed + ", got " + format(d));
        }
        return d;
    }

    private static String parseUrl(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new UsageException(name + " needs a value: an R2DBC URL like r2dbc:postgresql://user@host:5432/db");
        }
        // The URL may hold a password: messages below never repeat it.
        if (!value.startsWith("r2dbc:")) {
            throw new UsageException(name + " must start with r2dbc:, like r2dbc:postgresql://user@host:5432/db");
        }
        if (value.startsWith("r2dbc:reactivepool:") || value.startsWith("r2dbc:pool:")) {
            throw new UsageException(name + " must be the database's own URL (r2dbc:postgresql://...): "
                    + "the demo puts the pool in front of it itself");
        }
        return value;
    }

    /**
     * Formats a duration the way the flags take it.
     *
     * @param d a duration
     * @return e.g. {@code 10s} or {@code 1500ms}
     */
    static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    @Override
    public String toString() {
        // Never the URL itself: it may carry a password.
        return "DemoOptions{concurrency=" + concurrency + ", duration=" + format(duration) + ", warmup="
                + format(warmup) + ", poolSize=" + poolSize + ", database="
                + (r2dbcUrl.isPresent() ? "external" : "embedded") + "}";
    }
}
