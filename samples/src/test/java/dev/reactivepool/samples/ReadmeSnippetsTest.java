package dev.reactivepool.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps the documentation's code honest: in {@code README.md} and in every Markdown page under
 * {@code docs/} (found by scanning the directory, so a page added later is checked too), every
 * {@code java} or {@code kotlin} block must be preceded by {@code <!-- mirrored from PATH -->}
 * naming a source file of {@code samples} (or of {@code samples-spring-boot}, the Spring Boot
 * sample, a module of its own), and be made of lines of that file in the same order (lines of the
 * file may be left out in between, never changed or added). The samples' files are compiled and
 * run by their tests, so the documentation's code compiles too. Other blocks ({@code sh},
 * {@code text}, {@code xml}, {@code properties}) are free.
 */
class ReadmeSnippetsTest {

    private static final Pattern FENCE = Pattern.compile("^\\s*```\\s*(\\w*)\\s*$");
    private static final Pattern MARKER = Pattern.compile("^\\s*<!-- mirrored from (\\S+) -->\\s*$");
    private static final Set<String> CODE_LANGUAGES = Set.of("java", "kotlin");

    private static final Path ROOT = DocumentationPages.ROOT;

    @TestFactory
    Stream<DynamicTest> everyCodeBlockOfTheReadmeAndOfEveryDocsPageMirrorsCompiledSampleCode() {
        return DocumentationPages.readmeAndDocs().stream().map(page -> dynamicTest(DocumentationPages.name(page), () -> {
            String name = DocumentationPages.name(page);
            List<Block> blocks = codeBlocks(Files.readString(page));
            assertThat(blocks.stream().map(block -> problem(name, block, ROOT)).flatMap(Optional::stream).toList())
                    .as("code blocks of %s", name)
                    .isEmpty();
        }));
    }

    @Test
    void thePagesWithCodeAreFoundAndHaveTheirBlocks() throws IOException {
        // Guards the scan itself: a page that is no longer found would be silently unchecked.
        assertThat(DocumentationPages.readmeAndDocs()).extracting(DocumentationPages::name)
                .contains("README.md", "docs/kotlin.md", "docs/spring-boot.md", "docs/r2dbc-adapter.md",
                        "docs/http-adapter.md", "docs/dropped-leases.md", "docs/samples.md", "docs/shared-leases.md",
                        "docs/operations.md");
        assertThat(codeBlocks(Files.readString(ROOT.resolve("README.md")))).hasSizeGreaterThanOrEqualTo(4);
        assertThat(codeBlocks(Files.readString(ROOT.resolve("docs/kotlin.md")))).hasSizeGreaterThanOrEqualTo(3);
        assertThat(codeBlocks(Files.readString(ROOT.resolve("docs/r2dbc-adapter.md")))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(codeBlocks(Files.readString(ROOT.resolve("docs/samples.md")))).hasSizeGreaterThanOrEqualTo(2);
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

    private record Block(int line, String language, String mirroredFrom, String code) {
    }
}
