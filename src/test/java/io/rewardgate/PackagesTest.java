package io.rewardgate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The package graph of the service, as ARCHITECTURE.md draws it: capabilities in packages, imports in one
 * direction, no cycle. {@code api} on top; the features ({@code jobs}, {@code models}, {@code preferences},
 * {@code security}) below it; {@code backend}, {@code cache}, {@code redis} and {@code problem} below them;
 * {@code observability} cross-cutting, knowing no feature; {@code scoring}, the value types, at the ground. The
 * job stores and the backend kinds are found by CDI, so that a new one is a new package and nothing else.
 */
class PackagesTest {

    /** The package of an imported class of ours: the name before the first part in upper case. */
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(io\\.rewardgate(?:\\.[a-z][a-z0-9]*)*)\\.[A-Z].*;$");

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.rewardgate");

    @Test
    void noTwoPackagesImportEachOther() {
        slices().matching("io.rewardgate.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    /**
     * The same over the sources' imports, which also see what bytecode does not: a constant of another package
     * is copied into the class that uses it.
     */
    @Test
    void noTwoPackagesImportEachOtherInTheSourcesEither() throws IOException {
        Path sources = Path.of("src/main/java");
        Map<String, Set<String>> imports = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String from = sources.relativize(file.getParent()).toString().replace('/', '.');
                Set<String> to = imports.computeIfAbsent(from, k -> new TreeSet<>());
                for (String line : Files.readAllLines(file)) {
                    Matcher imported = IMPORT.matcher(line);
                    if (imported.matches() && !imported.group(1).equals(from)) {
                        to.add(imported.group(1));
                    }
                }
            }
        }
        List<String> cycles = new ArrayList<>();
        for (String from : imports.keySet()) {
            for (String to : imports.get(from)) {
                if (reaches(imports, to, from, new HashSet<>())) {
                    cycles.add(from + " -> " + to + " -> ... -> " + from);
                }
            }
        }
        assertThat(cycles).isEmpty();
    }

    private static boolean reaches(Map<String, Set<String>> imports, String from, String to, Set<String> seen) {
        if (from.equals(to)) {
            return true;
        }
        if (!seen.add(from)) {
            return false;
        }
        for (String next : imports.getOrDefault(from, Set.of())) {
            if (reaches(imports, next, to, seen)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void nothingBelowTheApiImportsIt() {
        noClasses().that().resideOutsideOfPackage("io.rewardgate.api..")
                .should().dependOnClassesThat().resideInAPackage("io.rewardgate.api..")
                .check(CLASSES);
    }

    @Test
    void aStoreOrAKindIsFoundByCdiNotImported() {
        noClasses().that().resideInAPackage("io.rewardgate.jobs")
                .should().dependOnClassesThat().resideInAnyPackage("io.rewardgate.jobs.local..", "io.rewardgate.jobs.redis..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("io.rewardgate.jobs.local..")
                .should().dependOnClassesThat().resideInAPackage("io.rewardgate.jobs.redis..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("io.rewardgate.jobs.redis..")
                .should().dependOnClassesThat().resideInAPackage("io.rewardgate.jobs.local..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("io.rewardgate.backend")
                .should().dependOnClassesThat().resideInAnyPackage("io.rewardgate.backend.*..")
                .check(CLASSES);
    }

    @Test
    void importsGoDownTheLayersOnly() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("api").definedBy("io.rewardgate.api..")
                .layer("features").definedBy("io.rewardgate.jobs..", "io.rewardgate.models..",
                        "io.rewardgate.preferences..", "io.rewardgate.evaluations..", "io.rewardgate.security..")
                .layer("infrastructure").definedBy("io.rewardgate.backend..", "io.rewardgate.cache..",
                        "io.rewardgate.redis..", "io.rewardgate.problem..")
                .layer("observability").definedBy("io.rewardgate.observability..")
                .layer("ground").definedBy("io.rewardgate.scoring..")
                .whereLayer("api").mayNotBeAccessedByAnyLayer()
                .whereLayer("features").mayOnlyBeAccessedByLayers("api")
                .whereLayer("infrastructure").mayOnlyBeAccessedByLayers("api", "features")
                .whereLayer("observability").mayOnlyBeAccessedByLayers("api", "features", "infrastructure")
                .whereLayer("ground").mayOnlyBeAccessedByLayers("api", "features", "infrastructure", "observability")
                .check(CLASSES);
    }
}
