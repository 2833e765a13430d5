package dev.reactivepool.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Keeps the README's code honest: every fenced block preceded by
 * {@code <!-- mirrored from PATH -->} must be made of lines of the compiled file at PATH, in the
 * same order (lines of the file may be left out in between, never changed or added).
 */
class ReadmeSnippetsTest {

    private static final Pattern MIRRORED_BLOCK = Pattern.compile(
            "<!-- mirrored from (\\S+) -->\\s*\\n```\\w*\\n(.*?)\\n```", Pattern.DOTALL);

    private static final Path ROOT = repositoryRoot();

    @Test
    void everySnippetOfTheSamplesReadmeSectionIsCompiledCode() throws IOException {
        List<Snippet> snippets = snippets(ROOT.resolve("samples/README-section.md"));

        assertThat(snippets).hasSizeGreaterThanOrEqualTo(5);
        snippets.forEach(ReadmeSnippetsTest::assertMirrored);
    }

    @Test
    void everyMarkedSnippetOfTheReadmeIsCompiledCode() throws IOException {
        Path readme = ROOT.resolve("README.md");
        List<Snippet> snippets = Files.exists(readme) ? snippets(readme) : List.of();

        snippets.forEach(ReadmeSnippetsTest::assertMirrored);
    }

    @Test
    void aChangedLineIsCaught() {
        Snippet changed = new Snippet("samples/src/main/java/dev/reactivepool/samples/QuickStart.java",
                ".maxSize(10).maxIdle(5).minIdle(3)");

        assertThat(missingLine(changed)).isEqualTo(".maxSize(10).maxIdle(5).minIdle(3)");
    }

    private static void assertMirrored(Snippet snippet) {
        assertThat(missingLine(snippet))
                .as("a line of the snippet mirrored from %s is not in that file (in order)", snippet.path())
                .isNull();
    }

    /** @return the first snippet line not found in order in the file, or null if all are */
    private static String missingLine(Snippet snippet) {
        List<String> source;
        try {
            source = Files.readAllLines(ROOT.resolve(snippet.path())).stream().map(String::strip).toList();
        } catch (IOException e) {
            return "(cannot read " + snippet.path() + ")";
        }
        int at = 0;
        for (String line : snippet.code().lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            int found = source.subList(at, source.size()).indexOf(line);
            if (found < 0) {
                return line;
            }
            at += found + 1;
        }
        return null;
    }

    private static List<Snippet> snippets(Path markdown) throws IOException {
        List<Snippet> snippets = new ArrayList<>();
        Matcher m = MIRRORED_BLOCK.matcher(Files.readString(markdown));
        while (m.find()) {
            snippets.add(new Snippet(m.group(1), m.group(2)));
        }
        return snippets;
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

    private record Snippet(String path, String code) {
    }
}
