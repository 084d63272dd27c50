package dev.sentinel.domain;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** The hexagon as a test: embedders of the domain get the JDK and nothing else. */
@AnalyzeClasses(packages = "dev.sentinel.domain",
        importOptions = ImportOption.DoNotIncludeTests.class)
class DomainDependencyTest {

    @ArchTest
    static final ArchRule DOMAIN_DEPENDS_ONLY_ON_THE_JDK_AND_ITSELF = classes()
            .that().resideInAPackage("dev.sentinel.domain..")
            .should().onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "javax.crypto..", "dev.sentinel.domain..");

    @Test
    void theRuleCatchesAForeignDependency() {
        // This test class depends on ArchUnit and JUnit, so the rule must reject it: a rule
        // that cannot fail would guard nothing.
        JavaClasses withForeignDependency = new ClassFileImporter()
                .importClasses(DomainDependencyTest.class);

        assertThat(DOMAIN_DEPENDS_ONLY_ON_THE_JDK_AND_ITSELF.evaluate(withForeignDependency)
                .hasViolation()).isTrue();
    }
}
