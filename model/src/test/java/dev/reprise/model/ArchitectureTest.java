package dev.reprise.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** Keeps the module arrows of DESIGN.md true for the model module. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.reprise.model");

    @Test
    void modelDependsOnNoOtherStage() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.reprise.model..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.reprise.ingest..", "dev.reprise.replay..",
                    "dev.reprise.cli..", "io.vertx..", "picocli..");
        rule.check(CLASSES);
    }

    @Test
    void onlyTheCliPrints() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.reprise.model..")
            .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
            .orShould().callMethod(System.class, "exit", int.class);
        rule.check(CLASSES);
    }
}
