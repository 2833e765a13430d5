package dev.reactivepool.samples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the repository's Markdown pages for the documentation tests, by scanning directories, so
 * that a page added later is checked without changing a test.
 */
final class DocumentationPages {

    /** The repository's root: the nearest directory above the working directory holding {@code mvnw}. */
    static final Path ROOT = repositoryRoot();

    private DocumentationPages() {
    }

    /** @return {@code README.md} and every {@code .md} file under {@code docs/}, at any depth */
    static List<Path> readmeAndDocs() {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        pages.addAll(markdownUnder(ROOT.resolve("docs"), Integer.MAX_VALUE));
        return pages;
    }

    /**
     * @return the pages whose links are checked: {@link #readmeAndDocs()}, the other {@code .md}
     *         files at the root (RELIABILITY.md, BENCHMARKS.md) and those at the top of a module
     *         (benchmarks/PROFILING.md, reactive-pool/CONCURRENCY.md)
     */
    static List<Path> allPages() {
        List<Path> pages = new ArrayList<>(readmeAndDocs());
        for (Path page : markdownUnder(ROOT, 2)) {
            if (!pages.contains(page)) {
                pages.add(page);
            }
        }
        return pages;
    }

    /** @return the page's path relative to the root, with forward slashes, for messages */
    static String name(Path page) {
        return ROOT.relativize(page).toString().replace('\\', '/');
    }

    private static List<Path> markdownUnder(Path dir, int depth) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir, depth)) {
            return files.filter(Files::isRegularFile)
                    .filter(path -> path.getFileName().toString().endsWith(".md"))
                    .filter(path -> !isBuildOrHidden(ROOT.relativize(path)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Build output ({@code target}) and hidden directories ({@code .git}, {@code .mvn}) hold no pages. */
    private static boolean isBuildOrHidden(Path relative) {
        if (relative.getParent() == null) {
            return false;
        }
        for (Path part : relative.getParent()) {
            String name = part.toString();
            if (name.equals("target") || name.startsWith(".") || name.equals("node_modules")) {
                return true;
            }
        }
        return false;
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
}
