package io.sift.jobs;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Dependencies point one way. Run here because the jobs module sees the main classes of every other module (core,
 * connectors, eval, gateway, testing).
 */
@AnalyzeClasses(packages = "io.sift", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /**
     * Every package is its own slice, so a cycle between e.g. a package and its sub-package is caught too. Rules read
     * bytecode: a use of another package's compile-time constant (static final String or primitive) is inlined by
     * javac and goes unseen.
     */
    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("io.sift.(**)")
            .as("packages of io.sift")
            .should().beFreeOfCycles();

    /** Core stages are plain Java: Flink, Kafka and Elasticsearch stay in jobs and connectors. */
    @ArchTest
    static final ArchRule coreUsesNoEngineOrClients = noClasses()
            .that().resideInAnyPackage("io.sift.core..", "io.sift.scenario..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.apache.flink..", "org.apache.kafka..", "co.elastic..", "org.elasticsearch..");

    @ArchTest
    static final ArchRule connectorsDoNotKnowTheJobs = noClasses()
            .that().resideInAPackage("io.sift.connectors..")
            .should().dependOnClassesThat().resideInAPackage("io.sift.jobs..");

    /** Outputs share dead-letter handling through their own package, not through one another. */
    @ArchTest
    static final ArchRule connectorOutputsAreIndependent = noClasses()
            .that().resideInAnyPackage("io.sift.connectors.kafka..", "io.sift.connectors.itsm..")
            .should().dependOnClassesThat().resideInAPackage("io.sift.connectors.elasticsearch..");
}
