package dev.reactivepool.scaleout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real PgBouncer process on 127.0.0.1, started by the tests in front of the embedded PostgreSQL,
 * with a generated configuration in a temporary directory. The binary is the one the Debian
 * package installs ({@code /usr/sbin/pgbouncer}, or {@code -Dscaleout.pgbouncer=...}); without it
 * every test fails with {@link #missingBinaryMessage(Path)}.
 *
 * <p>PgBouncer refuses to run as root; CI runs as root, so there it is started with
 * {@code -u postgres} (the user the Debian package creates) and its files are made readable by
 * that user.
 *
 * <p>Blocking (process start, queries on the admin console): call from the test thread only.
 */
final class PgBouncer implements AutoCloseable {

    /** Where the Debian package puts the binary; the Maven build passes it as a system property. */
    static final String BINARY_PROPERTY = "scaleout.pgbouncer";
    static final String INSTALL_COMMAND = "apt-get update && apt-get install -y pgbouncer";

    /** Processes still running, stopped by a shutdown hook if the JVM ends without closing them. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroy), "pgbouncer-stopper"));
    }

    private final Path binary;
    private final Path directory;
    private final Path ini;
    private final Path log;
    private final int port;
    private Process process;

    private PgBouncer(Path binary, Path directory, int port) {
        this.binary = binary;
        this.directory = directory;
        this.ini = directory.resolve("pgbouncer.ini");
        this.log = directory.resolve("pgbouncer.log");
        this.port = port;
    }

    /** What a test sees when the binary is missing: names it and says how to install it. */
    static String missingBinaryMessage(Path binary) {
        return "PgBouncer binary not found: " + binary + " is missing and no 'pgbouncer' is on the PATH. "
                + "The scale-out tests (-Pscale-out) start a real PgBouncer; install it with `" + INSTALL_COMMAND
                + "` (Debian/Ubuntu; .ci/run does this), or point -D" + BINARY_PROPERTY + "=/path/to/pgbouncer at one.";
    }

    /**
     * @param configured the configured binary path
     * @param pathVariable the PATH to search when it is missing
     * @return the binary to run
     * @throws IllegalStateException with {@link #missingBinaryMessage(Path)} when there is none
     */
    static Path locate(Path configured, String pathVariable) {
        if (Files.isExecutable(configured)) {
            return configured;
        }
        if (pathVariable != null) {
            for (String entry : pathVariable.split(java.io.File.pathSeparator)) {
                if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "pgbouncer"))) {
                    return Path.of(entry, "pgbouncer");
                }
            }
        }
        throw new IllegalStateException(missingBinaryMessage(configured));
    }

    /** @return the binary this JVM's tests use, or a failure naming it and the install command */
    static Path binary() {
        return locate(Path.of(System.getProperty(BINARY_PROPERTY, "/usr/sbin/pgbouncer")), System.getenv("PATH"));
    }

    /** @return the first line of {@code pgbouncer --version}, e.g. "PgBouncer 1.18.0" */
    static String version() {
        try {
            Process p = new ProcessBuilder(binary().toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor(10, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts PgBouncer on a free port of 127.0.0.1.
     *
     * @param postgresPort the PostgreSQL server behind it, on 127.0.0.1
     * @param settings     [pgbouncer] settings added to (or overriding) the defaults below
     * @param databases    [databases] entries: alias to connection string
     * @return the running PgBouncer
     */
    static PgBouncer start(int postgresPort, Map<String, String> settings, Map<String, String> databases) {
        Path binary = binary();
        try {
            Path directory = Files.createTempDirectory("pgbouncer");
            PgBouncer bouncer = new PgBouncer(binary, directory, freePort());
            bouncer.configure(postgresPort, settings, databases);
            bouncer.launch();
            return bouncer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void configure(int postgresPort, Map<String, String> settings, Map<String, String> databases)
            throws IOException {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("listen_addr", "127.0.0.1");
        all.put("listen_port", Integer.toString(port));
        all.put("unix_socket_dir", "");
        // The embedded server trusts local connections; no password anywhere.
        all.put("auth_type", "trust");
        all.put("auth_file", directory.resolve("userlist.txt").toString());
        all.put("admin_users", "postgres");
        all.put("pool_mode", "transaction");
        all.put("max_client_conn", "500");
        // r2dbc-postgresql sends extra_float_digits at start-up, which PgBouncer 1.18 does not track.
        all.put("ignore_startup_parameters", "extra_float_digits");
        // Retry a failed server login after 1 s instead of 15 s, so that tests of a restarted
        // PostgreSQL do not wait a quarter of a minute.
        all.put("server_login_retry", "1");
        all.putAll(settings);
        StringBuilder text = new StringBuilder("[databases]\n");
        databases.forEach((alias, connect) -> text.append(alias).append(" = ")
                .append(connect.replace("${port}", Integer.toString(postgresPort))).append('\n'));
        text.append("\n[pgbouncer]\n");
        all.forEach((key, value) -> text.append(key).append(" = ").append(value).append('\n'));
        Files.writeString(ini, text);
        Files.writeString(directory.resolve("userlist.txt"), "\"postgres\" \"\"\n");
        Files.writeString(log, "");
        if (runsAsRoot()) {
            // pgbouncer -u <user> drops root; that user must be able to read the files and write the log.
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(ini, PosixFilePermissions.fromString("rw-r--r--"));
            Files.setPosixFilePermissions(directory.resolve("userlist.txt"), PosixFilePermissions.fromString("rw-r--r--"));
            Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-rw-rw-"));
        }
    }

    private static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private List<String> command() throws IOException {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        if (runsAsRoot()) {
            command.add("-u");
            command.add(unprivilegedUser());
        }
        command.add(ini.toString());
        return command;
    }

    /** The Debian package creates user postgres; elsewhere fall back to nobody. */
    private static String unprivilegedUser() throws IOException {
        Path passwd = Path.of("/etc/passwd");
        if (Files.isReadable(passwd) && Files.readAllLines(passwd).stream().anyMatch(l -> l.startsWith("postgres:"))) {
            return "postgres";
        }
        return "nobody";
    }

    private void launch() {
        try {
            process = new ProcessBuilder(command())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RUNNING.add(process);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !process.isAlive() || listening());
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("PgBouncer did not listen on 127.0.0.1:" + port + " within 15 s:\n" + logText());
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("PgBouncer exited with " + process.exitValue() + ":\n" + logText());
        }
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** @return PgBouncer's port on 127.0.0.1 */
    int port() {
        return port;
    }

    /** @return what PgBouncer logged so far */
    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Stops the process (SIGTERM: immediate shutdown, every client connection is cut). */
    void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        RUNNING.remove(process);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Stops it and starts it again on the same port with the same configuration. */
    void restart() {
        stop();
        launch();
    }

    /** Runs a command on the admin console, e.g. {@code SHOW POOLS}; every value as text. */
    List<Map<String, String>> admin(String command) {
        return AdminConsole.run(port, command);
    }

    /** @return the SHOW POOLS row of this database alias, if PgBouncer has one */
    Optional<Map<String, String>> pool(String database) {
        return admin("SHOW POOLS").stream().filter(r -> database.equals(r.get("database"))).findFirst();
    }

    /** @return the SHOW STATS row of this database alias */
    Map<String, String> stats(String database) {
        List<Map<String, String>> rows = admin("SHOW STATS");
        return rows.stream().filter(r -> database.equals(r.get("database"))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no SHOW STATS row for " + database + ": " + rows));
    }

    /** @return the server connections PgBouncer has for this alias, in every state (SHOW POOLS sv_*) */
    int serverConnections(String database) {
        Map<String, String> row = pool(database).orElseThrow();
        return Integer.parseInt(row.get("sv_active")) + Integer.parseInt(row.get("sv_idle"))
                + Integer.parseInt(row.get("sv_used")) + Integer.parseInt(row.get("sv_tested"))
                + Integer.parseInt(row.get("sv_login"));
    }

    @Override
    public void close() {
        stop();
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temporary directory left behind is harmless.
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
