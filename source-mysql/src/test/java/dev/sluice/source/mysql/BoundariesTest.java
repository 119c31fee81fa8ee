package dev.sluice.source.mysql;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Debezium and Kafka Connect types stay inside the two Debezium adapter packages. */
class BoundariesTest {
  private static final JavaClasses SLUICE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.sluice.core", "dev.sluice.source.debezium", "dev.sluice.source.mysql");

  @Test
  void debeziumAndKafkaTypesStayInTheAdapterPackages() {
    noClasses().that().resideOutsideOfPackages("dev.sluice.source.debezium..", "dev.sluice.source.mysql.debezium..")
        .should().dependOnClassesThat().resideInAnyPackage("io.debezium..", "org.apache.kafka..")
        .check(SLUICE);
  }

  @Test
  void theMySqlSourceDoesNotReachIntoTheSharedAdapterInternals() {
    noClasses().that().resideInAPackage("dev.sluice.source.mysql")
        .should().dependOnClassesThat().resideInAPackage("dev.sluice.source.debezium")
        .check(SLUICE);
  }
}
