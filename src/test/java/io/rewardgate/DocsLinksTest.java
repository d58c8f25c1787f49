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

/**
 * Every relative link in the project's Markdown (the README, the changelog, docs/ and bench/) reaches a file
 * that exists and, with a {@code #fragment}, a heading of that file, as GitHub names its anchors.
 */
class DocsLinksTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Pattern INLINE = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern REFERENCE = Pattern.compile("^\\s*\\[[^\\]]+\\]:\\s*(\\S+)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

    @Test
    void everyRelativeLinkReachesAFileAndItsHeading() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path file : markdown()) {
            List<String> lines = Files.readAllLines(file);
            boolean fence = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("```")) {
                    fence = !fence;
                    continue;
                }
                if (fence) {
                    continue;
                }
                for (String target : targets(line)) {
                    String why = check(file, target);
                    if (why != null) {
                        broken.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + target + " (" + why + ")");
                    }
                }
            }
        }
        assertThat(broken).as("links that reach nothing").isEmpty();
    }

    @Test
    void aLinkToAMissingFileOrHeadingIsFound() {
        Path readme = ROOT.resolve("README.md");
        assertThat(check(readme, "docs/none.md")).isEqualTo("no such file");
        assertThat(check(readme, "docs/api.md#no-such-heading")).isEqualTo("no such heading");
        assertThat(check(readme, "docs/api.md#score-a-batch")).isNull();
        assertThat(check(readme, "#quick-start")).isNull();
        assertThat(slug("Score a dataset: files and batches")).isEqualTo("score-a-dataset-files-and-batches");
        assertThat(slug("`stub` (default)")).isEqualTo("stub-default");
    }

    private static List<Path> markdown() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("CHANGELOG.md")));
        for (String folder : List.of("docs", "bench")) {
            try (Stream<Path> walk = Files.walk(ROOT.resolve(folder))) {
                walk.filter(p -> p.toString().endsWith(".md") && !p.toString().contains("node_modules"))
                        .sorted().forEach(files::add);
            }
        }
        return files;
    }

    private static List<String> targets(String line) {
        List<String> found = new ArrayList<>();
        Matcher inline = INLINE.matcher(line.replaceAll("`[^`]*`", ""));
        while (inline.find()) {
            found.add(inline.group(1));
        }
        Matcher reference = REFERENCE.matcher(line);
        if (reference.find()) {
            found.add(reference.group(1));
        }
        found.removeIf(t -> t.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*"));
        return found;
    }

    /** Why the link from {@code file} to {@code target} reaches nothing, or {@code null} when it does. */
    private static String check(Path file, String target) {
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        Path reached = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
        if (!Files.exists(reached)) {
            return "no such file";
        }
        if (hash < 0 || !reached.toString().endsWith(".md")) {
            return null;
        }
        return anchors(reached).contains(target.substring(hash + 1)) ? null : "no such heading";
    }

    private static final Map<Path, Set<String>> ANCHORS = new HashMap<>();

    /** The anchors GitHub gives a file's headings: a repeated one gets -1, -2, ... */
    private static Set<String> anchors(Path file) {
        return ANCHORS.computeIfAbsent(file, f -> {
            Set<String> anchors = new HashSet<>();
            Map<String, Integer> seen = new HashMap<>();
            boolean fence = false;
            try {
                for (String line : Files.readAllLines(f)) {
                    if (line.startsWith("```")) {
                        fence = !fence;
                    }
                    Matcher heading = HEADING.matcher(line);
                    if (!fence && heading.matches()) {
                        String slug = slug(heading.group(1));
                        int n = seen.merge(slug, 1, Integer::sum) - 1;
                        anchors.add(n == 0 ? slug : slug + "-" + n);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return anchors;
        });
    }

    /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
    private static String slug(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-');
    }
}
