package dev.reprise.replay;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** Keeps the module arrows of DESIGN.md true for the replay module. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.reprise.replay");

    @Test
    void replayNeverTouchesJdbc() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.reprise.replay..")
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.duckdb..");
        rule.check(CLASSES);
    }

    @Test
    void replayNeverDependsOnIngestOrCli() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.reprise.replay..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.reprise.ingest..", "dev.reprise.cli..", "picocli..");
        rule.check(CLASSES);
    }

    @Test
    void onlyTheCliPrints() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.reprise.replay..")
            .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
            .orShould().callMethod(System.class, "exit", int.class);
        rule.check(CLASSES);
    }
}
