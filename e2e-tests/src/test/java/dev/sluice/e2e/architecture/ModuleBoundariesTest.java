package dev.sluice.e2e.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boundaries of STYLE.md, kept by the build rather than by review: the core knows no connector
 * technology, and Debezium and Kafka Connect types stay inside the Debezium adapter packages.
 */
class ModuleBoundariesTest {
  private static JavaClasses sluice;

  @BeforeAll
  static void importSluice() {
    sluice = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.sluice");
  }

  @Test
  void theCoreKnowsNoDriverBrokerDebeziumOrYaml() {
    noClasses().that().resideInAPackage("dev.sluice.core..")
        .should().dependOnClassesThat().resideInAnyPackage("io.debezium..", "org.apache.kafka..", "java.sql..",
            "com.zaxxer..", "org.yaml..", "com.mongodb..", "org.bson..", "dev.sluice.source..", "dev.sluice.sink..",
            "dev.sluice.pipeline..", "dev.sluice.cli..")
        .check(sluice);
  }

  @Test
  void debeziumAndKafkaConnectStayInsideTheDebeziumPackages() {
    noClasses().that().resideOutsideOfPackages("..debezium..")
        .should().dependOnClassesThat().resideInAnyPackage("io.debezium..", "org.apache.kafka.connect..")
        .check(sluice);
  }

  @Test
  void theEventModelDependsOnNoLaterStage() {
    noClasses().that().resideInAPackage("dev.sluice.core.event..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.sluice.core.snapshot..", "dev.sluice.core.runtime..",
            "dev.sluice.core.checkpoint..", "dev.sluice.core.sink..", "dev.sluice.core.source..")
        .check(sluice);
  }

  @Test
  void connectorsDoNotDependOnEachOther() {
    noClasses().that().resideInAPackage("dev.sluice.sink..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.sluice.source..")
        .check(sluice);
    noClasses().that().resideInAPackage("dev.sluice.source.mysql..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.sluice.source.postgres..", "dev.sluice.source.mongodb..")
        .check(sluice);
  }
}
