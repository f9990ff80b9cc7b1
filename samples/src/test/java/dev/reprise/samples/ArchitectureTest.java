package dev.reprise.samples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Keeps the module arrows of DESIGN.md true for the samples module: a leaf that prints nothing.
 * Plain {@code @Test}s calling {@code check}: under this build's Surefire setup, {@code @ArchTest}
 * fields are discovered but not run.
 */
class ArchitectureTest {
    private static final JavaClasses SAMPLES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.reprise.samples");

    @Test
    void samplesDependsOnNoOtherModuleAndNoJdbc() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.reprise.model..", "dev.reprise.ingest..",
                "dev.reprise.replay..", "dev.reprise.cli..", "java.sql..").check(SAMPLES);
    }

    @Test
    void onlyTheCliPrintsOrExits() {
        noClasses().should().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .orShould().callMethod(System.class, "exit", int.class).check(SAMPLES);
    }
}
