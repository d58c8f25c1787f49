package io.rewardgate;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link in the project's Markdown (the README, the changelog, docs/ and bench/) reaches a file
 * that exists and, with a {@code #fragment}, a heading of that file, as GitHub names its anchors.
 */
class DocsLinksTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Pattern INLINE = Pattern.compile(
            "\\[[^\\]]*\\]\\(\\s*(<[^>]*>|[^)\\s]+)(?:\\s+(?:\"[^\"]*\"|'[^']*'|\\([^)]*\\)))?\\s*\\)");
    private static final Pattern REFERENCE = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*(<[^>]*>|\\S+)");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)(?:\\s+#+)?\\s*$");
    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");

    @Test
    void everyRelativeLinkReachesAFileAndItsHeading() throws IOException {
        assertThat(broken(ROOT, markdown())).as("links that reach nothing").isEmpty();
    }

    @Test
    void eachBrokenLinkIsReportedWithItsFileAndLine(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.md"), """
                # Title
                ## Part
                ## Part
                [same](#part-1), [file](b.md), [gone](c.md), [heading](b.md#nowhere 'title')
                  ```
                  [in a fence](c.md) and ## not a heading
                  ```
                [ref]: b.md#there
                [ref2]: b.md#elsewhere
                """);
        Files.writeString(dir.resolve("b.md"), "# There\n```\n# Elsewhere\n```\n");

        assertThat(broken(dir, List.of(dir.resolve("a.md")))).containsExactly(
                "a.md:4: c.md (no such file)",
                "a.md:4: b.md#nowhere (no such heading)",
                "a.md:9: b.md#elsewhere (no such heading)");
    }

    @Test
    void anchorsAreGitHubs() {
        assertThat(slug("Score a dataset: files and batches")).isEqualTo("score-a-dataset-files-and-batches");
        assertThat(slug("`stub` (default)")).isEqualTo("stub-default");
        assertThat(slug("Latency at 500 distinct conversations a second, `POST /v1/chat/completions`"))
                .isEqualTo("latency-at-500-distinct-conversations-a-second-post-v1chatcompletions");
    }

    /** The Markdown a reader meets; build output and installed packages hold copies that are not ours. */
    private static List<Path> markdown() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("CHANGELOG.md")));
        for (String folder : List.of("docs", "bench")) {
            try (Stream<Path> walk = Files.walk(ROOT.resolve(folder))) {
                walk.filter(p -> p.toString().endsWith(".md"))
                        .filter(p -> !ROOT.relativize(p).toString().matches("(?:.*/)?(?:target|node_modules)/.*"))
                        .sorted().forEach(files::add);
            }
        }
        return files;
    }

    /** One {@code file:line: target (why)} per link that reaches nothing, all of them, in order. */
    private static List<String> broken(Path root, List<Path> files) throws IOException {
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchors = new HashMap<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            String fence = null;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                Matcher marker = FENCE.matcher(line);
                if (marker.find()) {
                    fence = fence == null ? marker.group(1) : fence.equals(marker.group(1)) ? null : fence;
                    continue;
                }
                if (fence != null) {
                    continue;
                }
                for (String target : targets(line)) {
                    String why = check(file, target, anchors);
                    if (why != null) {
                        broken.add(root.relativize(file) + ":" + (i + 1) + ": " + target + " (" + why + ")");
                    }
                }
            }
        }
        return broken;
    }

    private static List<String> targets(String line) {
        List<String> found = new ArrayList<>();
        // A link written inside a code span is text, not a link.
        Matcher inline = INLINE.matcher(line.replaceAll("`[^`]*`", ""));
        while (inline.find()) {
            found.add(inline.group(1));
        }
        Matcher reference = REFERENCE.matcher(line);
        if (reference.find()) {
            found.add(reference.group(1));
        }
        found.replaceAll(t -> t.startsWith("<") ? t.substring(1, t.length() - 1) : t);
        found.removeIf(t -> t.isEmpty() || t.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*"));
        return found;
    }

    /** Why the link from {@code file} to {@code target} reaches nothing, or {@code null} when it does. */
    private static String check(Path file, String target, Map<Path, Set<String>> anchors) {
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        Path reached = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
        if (!Files.exists(reached)) {
            return "no such file";
        }
        if (hash < 0 || !reached.toString().endsWith(".md")) {
            return null;
        }
        return anchors.computeIfAbsent(reached, DocsLinksTest::anchors).contains(target.substring(hash + 1))
                ? null
                : "no such heading";
    }

    /** The anchors GitHub gives a file's headings: a repeated one gets -1, -2, ... */
    private static Set<String> anchors(Path file) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        String fence = null;
        try {
            for (String line : Files.readAllLines(file)) {
                Matcher marker = FENCE.matcher(line);
                if (marker.find()) {
                    fence = fence == null ? marker.group(1) : fence.equals(marker.group(1)) ? null : fence;
                    continue;
                }
                Matcher heading = HEADING.matcher(line);
                if (fence == null && heading.matches()) {
                    String slug = slug(heading.group(1));
                    int n = seen.merge(slug, 1, Integer::sum) - 1;
                    anchors.add(n == 0 ? slug : slug + "-" + n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return anchors;
    }

    /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
    private static String slug(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-');
    }
}
