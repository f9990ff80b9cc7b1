package dev.reprise.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** Keeps the module arrows of DESIGN.md true for the cli module. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.reprise.cli");

    @Test
    void cliHoldsNoJdbc() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.reprise.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.duckdb..");
        rule.check(CLASSES);
    }

    @Test
    void cliDoesNotReachIntoImplementationPackages() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.reprise.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.reprise.replay.engine..", "dev.reprise.replay.schedule..",
                    "dev.reprise.ingest.nginx..", "dev.reprise.ingest.read..", "dev.reprise.ingest.anon..");
        rule.check(CLASSES);
    }

}
