package dev.reactivepool.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Keeps the README's code honest: a {@code java} or {@code kotlin} block preceded by
 * {@code <!-- mirrored from PATH -->} must name a source file of {@code samples} (or of
 * {@code samples-spring-boot}, the Spring Boot sample, a module of its own) and be made of
 * lines of that file in the same order (lines of the file may be left out in between, never
 * changed or added). The samples' files are compiled and run by their tests, so such README code
 * compiles too. In {@code samples/README-section.md}, {@code docs/kotlin.md} and
 * {@code docs/spring-boot.md} every code block must be marked; in the root {@code README.md}, every
 * marked block is checked.
 */
class ReadmeSnippetsTest {

    private static final Pattern FENCE = Pattern.compile("^\\s*```\\s*(\\w*)\\s*$");
    private static final Pattern MARKER = Pattern.compile("^\\s*<!-- mirrored from (\\S+) -->\\s*$");
    private static final Set<String> CODE_LANGUAGES = Set.of("java", "kotlin");

    private static final Path ROOT = repositoryRoot();

    @Test
    void everyCodeBlockOfTheSamplesSectionMirrorsCompiledSampleCode() throws IOException {
        List<Block> blocks = codeBlocks(Files.readString(ROOT.resolve("samples/README-section.md")));

        assertThat(blocks).hasSizeGreaterThanOrEqualTo(4);
        assertThat(blocks.stream().map(block -> problem("samples/README-section.md", block, ROOT))
                .flatMap(Optional::stream).toList()).isEmpty();
    }

    @Test
    void everyCodeBlockOfTheSpringBootPageMirrorsCompiledSampleCode() throws IOException {
        List<Block> blocks = codeBlocks(Files.readString(ROOT.resolve("docs/spring-boot.md")));

        assertThat(blocks).isNotEmpty();
        assertThat(blocks.stream().map(block -> problem("docs/spring-boot.md", block, ROOT))
                .flatMap(Optional::stream).toList()).isEmpty();
    }

    @Test
    void everyCodeBlockOfTheReadmeMirrorsCompiledSampleCode() throws IOException {
        // Every Java and Kotlin example of the README must be marked and mirror code in samples.
        List<Block> blocks = codeBlocks(Files.readString(ROOT.resolve("README.md")));

        assertThat(blocks).hasSizeGreaterThanOrEqualTo(7); // the Kotlin examples are in docs/kotlin.md
        assertThat(blocks.stream().map(block -> problem("README.md", block, ROOT))
                .flatMap(Optional::stream).toList()).isEmpty();
    }

    @Test
    void everyCodeBlockOfTheKotlinDocMirrorsCompiledSampleCode() throws IOException {
        List<Block> blocks = codeBlocks(Files.readString(ROOT.resolve("docs/kotlin.md")));

        assertThat(blocks).hasSizeGreaterThanOrEqualTo(3);
        assertThat(blocks.stream().map(block -> problem("docs/kotlin.md", block, ROOT))
                .flatMap(Optional::stream).toList()).isEmpty();
    }

    @Test
    void everyCodeBlockOfTheEventsDocMirrorsCompiledSampleCode() throws IOException {
        List<Block> blocks = codeBlocks(Files.readString(ROOT.resolve("docs/events-and-tracing.md")));

        assertThat(blocks).hasSizeGreaterThanOrEqualTo(2);
        assertThat(blocks.stream().map(block -> problem("docs/events-and-tracing.md", block, ROOT))
                .flatMap(Optional::stream).toList()).isEmpty();
    }

    @Test
    void aChangedLineIsCaught() {
        List<Block> blocks = codeBlocks("""
                <!-- mirrored from samples/src/main/java/dev/reactivepool/samples/QuickStart.java -->
                ```java
                Pool<ToyConnection> pool = Pool.builder(ToyConnection.connect())
                        .maxSize(10).maxIdle(5).minIdle(3)
                ```
                """);

        assertThat(blocks).hasSize(1);
        assertThat(problem("doc", blocks.get(0), ROOT)).get().asString()
                .contains("not in samples/src/main/java/dev/reactivepool/samples/QuickStart.java")
                .contains(".maxSize(10).maxIdle(5).minIdle(3)");
    }

    @Test
    void anUnmarkedBlockOrOneMirroredFromElsewhereIsCaught() {
        List<Block> blocks = codeBlocks("""
                ```kotlin
                val x = 1
                ```

                <!-- mirrored from reactive-pool/src/main/java/dev/reactivepool/Pool.java -->
                ```java
                public interface Pool<T> extends Disposable {
                ```

                ```sh
                ./mvnw verify
                ```
                """);

        assertThat(blocks).hasSize(2);
        assertThat(problem("doc", blocks.get(0), ROOT)).get().asString().contains("has no <!-- mirrored from");
        assertThat(problem("doc", blocks.get(1), ROOT)).get().asString().contains("not a source file of samples");
    }

    /** @return what is wrong with the block, if anything */
    private static Optional<String> problem(String doc, Block block, Path root) {
        String where = doc + " line " + block.line();
        if (block.mirroredFrom() == null) {
            return Optional.of(where + ": the " + block.language() + " block has no <!-- mirrored from PATH -->");
        }
        String path = block.mirroredFrom();
        if (!path.startsWith("samples/src/main/") && !path.startsWith("samples-spring-boot/src/main/")) {
            return Optional.of(where + ": " + path + " is not a source file of samples");
        }
        List<String> source;
        try {
            source = Files.readAllLines(root.resolve(path)).stream().map(String::strip).toList();
        } catch (IOException e) {
            return Optional.of(where + ": cannot read " + path);
        }
        int at = 0;
        for (String line : block.code().lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            int found = source.subList(at, source.size()).indexOf(line);
            if (found < 0) {
                return Optional.of(where + ": this line is not in " + path + " (in order): " + line);
            }
            at += found + 1;
        }
        return Optional.empty();
    }

    /** The java and kotlin blocks of a Markdown text, with the marker line before each, if any. */
    private static List<Block> codeBlocks(String markdown) {
        List<Block> blocks = new ArrayList<>();
        List<String> lines = markdown.lines().toList();
        String lastNonBlank = "";
        for (int i = 0; i < lines.size(); i++) {
            Matcher fence = FENCE.matcher(lines.get(i));
            if (!fence.matches()) {
                if (!lines.get(i).isBlank()) {
                    lastNonBlank = lines.get(i);
                }
                continue;
            }
            String language = fence.group(1);
            StringBuilder code = new StringBuilder();
            int start = i;
            for (i++; i < lines.size() && !FENCE.matcher(lines.get(i)).matches(); i++) {
                code.append(lines.get(i)).append('\n');
            }
            if (CODE_LANGUAGES.contains(language)) {
                Matcher marker = MARKER.matcher(lastNonBlank);
                blocks.add(new Block(start + 1, language, marker.matches() ? marker.group(1) : null, code.toString()));
            }
            lastNonBlank = "```";
        }
        return blocks;
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no mvnw above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    private record Block(int line, String language, String mirroredFrom, String code) {
    }
}
