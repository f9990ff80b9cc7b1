package dev.reprise.ingest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the module arrows of DESIGN.md true for ingest. */
class IngestArchitectureTest {
    private static final JavaClasses INGEST = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.reprise.ingest");

    @Test
    void writesThroughTheStoreApiAndNeverTalksJdbc() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.duckdb..")
                .check(INGEST);
    }

    @Test
    void neverReadsTheModelOrDependsOnReplayOrCli() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("dev.reprise.replay..", "dev.reprise.cli..")
                .orShould().dependOnClassesThat().haveSimpleName("WorkloadModel")
                .check(INGEST);
    }

    @Test
    void leavesPrintingAndExitingToTheCli() {
        noClasses().should().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .orShould().callMethod(System.class, "exit", int.class)
                .check(INGEST);
    }
}
