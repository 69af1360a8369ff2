package dev.lifeline.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module dependency rule of the design, checked on the compiled production classes. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.lifeline");
    }

    @Test
    void coreDependsOnNoOtherModuleAndNoFramework() {
        noClasses()
                .that()
                .resideInAPackage("dev.lifeline.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.lifeline.store..",
                        "dev.lifeline.supervisor..",
                        "dev.lifeline.proxy..",
                        "dev.lifeline.backend..",
                        "dev.lifeline.server..",
                        "dev.lifeline.agent..",
                        "io.javalin..",
                        "org.eclipse.jetty..",
                        "org.jdbi..",
                        "com.fasterxml.jackson..")
                .check(classes);
    }

    @Test
    void storeSupervisorProxyAndBackendsDependOnlyOnCore() {
        for (String module : new String[] {"store", "supervisor", "proxy", "backend"}) {
            noClasses()
                    .that()
                    .resideInAPackage("dev.lifeline." + module + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(otherModulesThan(module))
                    .check(classes);
        }
    }

    @Test
    void noBackendImportsAnother() {
        slices().matching("dev.lifeline.backend.(*)..")
                .should()
                .notDependOnEachOther()
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void onlyTheDockerBackendTalksToDocker() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.lifeline.backend.docker..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("com.github.dockerjava..")
                .check(classes);
    }

    @Test
    void theControlPlaneBackendSpeaksHttpThroughTheJdkClientOnly() {
        noClasses()
                .that()
                .resideInAPackage("dev.lifeline.backend.controlplane..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.javalin..", "org.eclipse.jetty..", "org.jdbi..", "com.sun.net.httpserver..")
                .check(classes);
    }

    @Test
    void theTestkitDependsOnlyOnCore() {
        noClasses()
                .that()
                .resideInAPackage("dev.lifeline.testkit..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(otherModulesThan("testkit"))
                .check(classes);
    }

    @Test
    void nothingDependsOnTheServer() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.lifeline.server..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.lifeline.server..")
                .check(classes);
    }

    @Test
    void nettyIsTheServersAlone() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.lifeline.server..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.netty..")
                .check(classes);
    }

    @Test
    void theAgentIsStandaloneAndUsesNoLifelineModule() {
        noClasses()
                .that()
                .resideInAPackage("dev.lifeline.agent..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(otherModulesThan("agent"))
                .check(classes);
    }

    private static String[] otherModulesThan(String module) {
        return java.util.stream.Stream.of("store", "supervisor", "proxy", "backend", "server", "agent")
                .filter(m -> !m.equals(module))
                .map(m -> "dev.lifeline." + m + "..")
                .toArray(String[]::new);
    }
}
