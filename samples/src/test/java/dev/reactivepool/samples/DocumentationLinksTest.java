package dev.reactivepool.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link of the repository's Markdown pages ({@code README.md}, {@code docs/**},
 * {@code RELIABILITY.md}, {@code BENCHMARKS.md}, the modules' own pages) must point to a file or
 * directory that exists, and a link with a {@code #fragment} to a Markdown page must name one of
 * that page's headings, as GitHub turns headings into anchors. Links to web sites are not
 * followed; links inside code (fenced blocks and inline {@code `code`}) are not links.
 */
class DocumentationLinksTest {

    /** {@code [text](target)} and {@code ![alt](target)}; the target ends at a space or ')'. */
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~).*$");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");
    private static final Pattern EXTERNAL = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");

    @TestFactory
    Stream<DynamicTest> everyRelativeLinkResolves() {
        return DocumentationPages.allPages().stream().map(page -> dynamicTest(DocumentationPages.name(page),
                () -> assertThat(brokenLinks(page)).as("broken links of %s", DocumentationPages.name(page)).isEmpty()));
    }

    @Test
    void thePagesAreFound() {
        assertThat(DocumentationPages.allPages()).extracting(DocumentationPages::name)
                .contains("README.md", "RELIABILITY.md", "BENCHMARKS.md", "docs/DESIGN.md", "docs/configuration.md",
                        "benchmarks/PROFILING.md", "reactive-pool/CONCURRENCY.md")
                .noneMatch(name -> name.contains("/target/"));
    }

    @Test
    void aMissingFileOrAnchorIsCaughtAndCodeIsNotALink(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("other.md"), "# Other page\n\n## Some `code` heading, with punctuation!\n");
        Path page = dir.resolve("page.md");
        Files.writeString(page, """
                # Page

                [fine](other.md) [fine too](other.md#some-code-heading-with-punctuation) [here](#page)
                [web](https://example.com/nothing.md) `[not a link](nowhere.md)`

                ```text
                [not a link either](nowhere.md)
                ```

                [missing file](nowhere.md) [missing anchor](other.md#no-such-heading) ![missing image](img/x.png)
                """);

        assertThat(brokenLinks(page)).containsExactly(
                "line 10: nowhere.md (no such file)",
                "line 10: other.md#no-such-heading (no heading 'no-such-heading' in other.md)",
                "line 10: img/x.png (no such file)");
    }

    @Test
    void anchorsFollowGithubsRules() {
        assertThat(anchors(List.of("# reactive-pool", "## 5. Leases dropped by Reactor", "### R2DBC (`r2dbc-adapter`)",
                "## Options", "## Options", "## Try it: two commands")))
                .containsExactlyInAnyOrder("reactive-pool", "5-leases-dropped-by-reactor", "r2dbc-r2dbc-adapter",
                        "options", "options-1", "try-it-two-commands");
    }

    /** @return one line per broken link of the page */
    private static List<String> brokenLinks(Path page) throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> lines = Files.readAllLines(page);
        boolean inFence = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (FENCE.matcher(line).matches()) {
                inFence = !inFence;
                continue;
            }
            if (inFence) {
                continue;
            }
            int number = i + 1;
            Matcher link = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
            while (link.find()) {
                String target = link.group(1);
                if (EXTERNAL.matcher(target).matches()) {
                    continue;
                }
                problem(page, target).ifPresent(problem -> problems.add("line " + number + ": " + target + " (" + problem + ")"));
            }
        }
        return problems;
    }

    private static Optional<String> problem(Path page, String target) {
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String fragment = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!Files.exists(resolved)) {
            return Optional.of("no such file");
        }
        if (fragment == null || fragment.isEmpty() || !resolved.getFileName().toString().endsWith(".md")) {
            return Optional.empty();
        }
        Set<String> anchors;
        try {
            anchors = anchors(Files.readAllLines(resolved));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return anchors.contains(fragment) ? Optional.empty()
                : Optional.of("no heading '" + fragment + "' in " + resolved.getFileName());
    }

    /** The anchors GitHub makes of a page's headings (outside code blocks). */
    private static Set<String> anchors(List<String> lines) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean inFence = false;
        for (String line : lines) {
            if (FENCE.matcher(line).matches()) {
                inFence = !inFence;
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (inFence || !heading.matches()) {
                continue;
            }
            String slug = slug(heading.group(1));
            int count = seen.merge(slug, 1, Integer::sum);
            anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
        }
        return anchors;
    }

    /** GitHub's rule: the heading's text, lower case, without punctuation, spaces as hyphens. */
    private static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1").replace("`", "");
        return text.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}\\s_-]", "")
                .replace(' ', '-');
    }
}
