package dev.reactivepool.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published modules' descriptors, proven on the module path (the other tests run on the class
 * path): internal packages are not exported to consumers, the modules resolve with the
 * dependencies' module names, a consumer module compiles against the public API and runs a pool
 * (from the packaged jar, with JCTools shaded in, when the build packaged it), and a consumer
 * importing an internal package does not compile.
 */
class ModulePathTest {

    private static final Set<String> PUBLISHED = Set.of("dev.reactivepool", "dev.reactivepool.r2dbc",
            "dev.reactivepool.http", "dev.reactivepool.kotlin");

    /** Every class path entry that is a valid module (explicit or automatic), by module name. */
    private static final Map<String, Path> MODULES = new LinkedHashMap<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void findModulesOnTheClassPath() {
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            try {
                for (ModuleReference ref : ModuleFinder.of(path).findAll()) {
                    MODULES.putIfAbsent(ref.descriptor().name(), path);
                }
            } catch (FindException notAModule) {
                // a jar whose automatic name cannot be derived: no published module needs it
            }
        }
        assertThat(MODULES).containsKeys(PUBLISHED.toArray(String[]::new));
    }

    @Test
    void internalPackagesAreExportedOnlyToTheProjectsOwnModules() {
        for (String name : PUBLISHED) {
            ModuleDescriptor descriptor = descriptor(name);
            assertThat(descriptor.isAutomatic()).as(name).isFalse();
            for (String pkg : descriptor.packages()) {
                boolean internal = pkg.contains(".internal");
                List<Exports> exports = descriptor.exports().stream().filter(e -> e.source().equals(pkg)).toList();
                if (internal) {
                    assertThat(exports).as(name + " exports " + pkg)
                            .allSatisfy(e -> assertThat(e.targets()).isNotEmpty()
                                    .allSatisfy(target -> assertThat(target).startsWith("dev.reactivepool.")));
                } else {
                    assertThat(exports).as(name + " exports " + pkg).singleElement()
                            .satisfies(e -> assertThat(e.isQualified()).isFalse());
                }
            }
            assertThat(descriptor.opens()).as(name + " opens").isEmpty();
        }
        assertThat(descriptor("dev.reactivepool").exports())
                .filteredOn(e -> e.source().equals("dev.reactivepool.internal")).singleElement()
                .satisfies(e -> assertThat(e.targets()).containsExactlyInAnyOrder("dev.reactivepool.r2dbc",
                        "dev.reactivepool.http"));
        assertThat(descriptor("dev.reactivepool.r2dbc").provides())
                .anySatisfy(p -> {
                    assertThat(p.service()).isEqualTo("io.r2dbc.spi.ConnectionFactoryProvider");
                    assertThat(p.providers()).containsExactly("dev.reactivepool.r2dbc.PooledConnectionFactoryProvider");
                });
    }

    @Test
    void thePublishedModulesResolveWithTheirDependenciesModuleNames() {
        Configuration configuration = resolve(ModuleFinder.of(MODULES.values().toArray(Path[]::new)), PUBLISHED);

        assertThat(configuration.findModule("dev.reactivepool.kotlin")).isPresent();
        assertThat(configuration.findModule("dev.reactivepool.http")).isPresent();
    }

    @Test
    void theR2dbcDriverIsAServiceOfTheModuleLayer() throws Exception {
        ModuleLayer layer = layer(ModuleFinder.of(modulePath("dev.reactivepool.r2dbc", "r2dbc.spi")),
                Set.of("dev.reactivepool.r2dbc"));
        Class<?> service = layer.findLoader("r2dbc.spi").loadClass("io.r2dbc.spi.ConnectionFactoryProvider");

        List<String> providers = ServiceLoader.load(layer, service).stream()
                .map(p -> p.type().getName()).toList();

        assertThat(providers).contains("dev.reactivepool.r2dbc.PooledConnectionFactoryProvider");
    }

    @Test
    void aConsumerModuleCompilesAgainstTheApiAndRunsAPool() throws Exception {
        Path classes = compile("""
                module consumer {
                    requires dev.reactivepool;
                    exports consumer;
                }
                """, """
                package consumer;

                import dev.reactivepool.Lease;
                import dev.reactivepool.Pool;
                import reactor.core.publisher.Mono;

                public final class Main {
                    public static String run() {
                        Pool<StringBuilder> pool = Pool.builder(Mono.fromSupplier(StringBuilder::new)).maxSize(2).build();
                        Lease<StringBuilder> lease = pool.acquire().block();
                        lease.get().append("used on the module path");
                        String text = lease.get().toString();
                        lease.release().block();
                        long acquired = pool.metrics().acquired();
                        pool.close().block();
                        return text + ", acquired=" + acquired;
                    }
                }
                """);
        assertThat(classes).isNotNull();

        List<Path> path = new ArrayList<>(List.of(modulePath("dev.reactivepool")));
        path.add(classes);
        ModuleLayer layer = layer(ModuleFinder.of(path.toArray(Path[]::new)), Set.of("consumer"));
        Method run = layer.findLoader("consumer").loadClass("consumer.Main").getMethod("run");

        assertThat(run.invoke(null)).isEqualTo("used on the module path, acquired=1");
    }

    @Test
    void aConsumerModuleCannotUseTheInternalPackage() throws IOException {
        StringWriter errors = new StringWriter();
        Path classes = compile(errors, """
                module consumer {
                    requires dev.reactivepool;
                }
                """, """
                package consumer;

                import dev.reactivepool.internal.OptionRule;

                final class Main {
                    Object rule = OptionRule.class;
                }
                """);

        assertThat(classes).isNull();
        assertThat(errors.toString()).contains("package dev.reactivepool.internal is not visible")
                .contains("declared in module dev.reactivepool, which does not export it");
    }

    private static ModuleDescriptor descriptor(String name) {
        return ModuleFinder.of(MODULES.get(name)).find(name).orElseThrow().descriptor();
    }

    /**
     * The class path entries of the named modules and of what they require; the core's JCTools
     * only when the build did not package it (its classes directory then stands for the jar).
     */
    private static Path[] modulePath(String... names) {
        Set<String> wanted = new java.util.LinkedHashSet<>(List.of(names));
        wanted.addAll(List.of("dev.reactivepool", "reactor.core", "org.reactivestreams"));
        if (Files.isDirectory(MODULES.get("dev.reactivepool"))) {
            wanted.add("org.jctools.core");
        }
        return wanted.stream().map(MODULES::get).toArray(Path[]::new);
    }

    private static Configuration resolve(ModuleFinder finder, Set<String> roots) {
        Set<String> all = new java.util.HashSet<>(roots);
        if (Files.isDirectory(MODULES.get("dev.reactivepool"))) {
            all.add("org.jctools.core");
        }
        return ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), all);
    }

    /** A layer of its own, over the platform class loader: no class comes from the class path. */
    private static ModuleLayer layer(ModuleFinder finder, Set<String> roots) {
        return ModuleLayer.boot().defineModulesWithOneLoader(resolve(finder, roots),
                ClassLoader.getPlatformClassLoader());
    }

    private Path compile(String moduleInfo, String main) throws IOException {
        StringWriter errors = new StringWriter();
        Path classes = compile(errors, moduleInfo, main);
        assertThat(errors.toString()).as("javac output").isEmpty();
        return classes;
    }

    /** Compiles the consumer module on the module path; null when javac reports errors. */
    private Path compile(StringWriter errors, String moduleInfo, String main) throws IOException {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("consumer"));
        Files.writeString(src.resolve("module-info.java"), moduleInfo);
        Files.writeString(src.resolve("consumer/Main.java"), main);
        Path out = dir.resolve("classes");
        // An empty class path: javac in this JVM would otherwise use the test's class path.
        Path emptyClassPath = Files.createDirectories(dir.resolve("empty"));
        String modulePath = java.util.Arrays.stream(modulePath()).map(Path::toString)
                .collect(Collectors.joining(java.io.File.pathSeparator));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        boolean ok = javac.getTask(errors, null, null,
                List.of("--release", "17", "--module-path", modulePath, "--class-path", emptyClassPath.toString(),
                        "-d", out.toString()), null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjects(
                        src.resolve("module-info.java"), src.resolve("consumer/Main.java"))).call();
        return ok ? out : null;
    }
}
