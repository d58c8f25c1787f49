package io.rewardgate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The package graph of the service, as ARCHITECTURE.md draws it: capabilities in packages, imports in one
 * direction, no cycle. {@code api} on top; the features ({@code jobs}, {@code models}, {@code security}) below
 * it; {@code backend}, {@code cache}, {@code redis} and {@code problem} below them; {@code observability}
 * cross-cutting, knowing no feature; {@code scoring}, the value types, at the ground. The job stores and the
 * backend kinds are found by CDI, so that a new one is a new package and nothing else.
 */
class PackagesTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.rewardgate");

    @Test
    void noTwoPackagesImportEachOther() {
        slices().matching("io.rewardgate.(**)").should().beFreeOfCycles().check(CLASSES);
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
                        "io.rewardgate.security..")
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
