package dev.doublelock.arch;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/design.md's layering: a package imports only packages on lower levels (a sub-package may import
 * its parent); nothing imports cli, web or config — except cli itself, the composition root that starts
 * the web page and reads the config. Packages not listed belong to their nearest listed
 * parent ("module").
 */
class LayeringTest {
    private static final String ROOT = "dev.doublelock.";
    /** Levels ×10, so that docs/design.md's level 1.5 (policy.transport) and the relay's composition (3.5) fit. */
    static final Map<String, Integer> LEVELS = new LinkedHashMap<>();

    static {
        for (String p : List.of("finding", "smtp", "tls", "tls.pki", "dns", "message", "dkim")) LEVELS.put(p, 0);
        LEVELS.put("io", -5); // bounded reads, files, lazy values: used by every level, uses none
        LEVELS.put("tlsrpt", 5); // RFC 8460 reports: written and read with the message home's MIME
        for (String p : List.of("smtp.client", "smtp.server", "dns.server", "tls.probe", "policy", "policy.dane", "policy.mtasts")) LEVELS.put(p, 10);
        LEVELS.put("policy.transport", 15); // the one transport decision: check and relay call it, never decide themselves
        for (String p : List.of("check", "queue", "lab")) LEVELS.put(p, 20);
        // the relay's two halves are separate modules: intake never reaches into delivery, nor delivery into intake
        for (String p : List.of("relay.intake", "relay.delivery")) LEVELS.put(p, 30);
        LEVELS.put("relay", 35); // the relay's composition: wires intake, queue and delivery together
        for (String p : List.of("config", "cli", "web")) LEVELS.put(p, 40);
    }

    /** Packages that must stay pure (observation + policy → findings): no sockets, databases, files or HTTP. */
    static final List<String> PURE = List.of("dev.doublelock.policy", "dev.doublelock.policy.transport");
    static final List<String> IO_PACKAGES = List.of("java.net", "java.sql", "java.nio.file", "java.net.http");

    private static JavaClasses projectClasses;

    @BeforeAll
    static void importClasses() {
        projectClasses = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.doublelock");
    }

    @Test
    void everyClassLivesInALevelledPackage() {
        classes().should(new ArchCondition<JavaClass>("live in a package docs/design.md gives a level") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                if (moduleOf(item.getPackageName()) == null) {
                    events.add(SimpleConditionEvent.violated(item, item.getName() + " is in a package without a level"));
                }
            }
        }).allowEmptyShould(true).check(projectClasses);
    }

    @Test
    void packagesImportOnlyLowerLevelsOrTheirParent() {
        classes().should(new ArchCondition<JavaClass>("depend only on lower levels, their own package or a parent") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                String from = moduleOf(item.getPackageName());
                if (from == null) return;
                for (Dependency d : item.getDirectDependenciesFromSelf()) {
                    String to = moduleOf(d.getTargetClass().getPackageName());
                    if (to == null || to.isEmpty() || to.equals(from) || from.startsWith(to + ".")) continue;
                    if (from.equals("cli") && (to.equals("web") || to.equals("config"))) continue; // cli is the composition root
                    if (LEVELS.get(to) >= LEVELS.get(from) || List.of("cli", "web", "config").contains(to)) {
                        events.add(SimpleConditionEvent.violated(d, from + " (level " + LEVELS.get(from) + ") must not use "
                                + to + " (level " + LEVELS.get(to) + "): " + d.getDescription()));
                    }
                }
            }
        }).allowEmptyShould(true).check(projectClasses);
    }

    @Test
    void theImportFoundTheProject() {
        // an empty import would make every rule here pass vacuously
        assertThat(projectClasses.size()).as("classes imported from dev.doublelock").isGreaterThan(200);
        for (String module : LEVELS.keySet()) {
            assertThat(projectClasses.stream().anyMatch(c -> module.equals(moduleOf(c.getPackageName()))))
                    .as("classes found in module %s", module).isTrue();
        }
    }

    @Test
    void thePolicyAndTheTransportDecisionDoNoIo() {
        classes().should(new ArchCondition<JavaClass>("use no sockets, JDBC, files or HTTP") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                if (!PURE.contains(item.getPackageName())) return;
                for (Dependency d : item.getDirectDependenciesFromSelf()) {
                    String target = d.getTargetClass().getPackageName();
                    if (IO_PACKAGES.stream().anyMatch(io -> target.equals(io) || target.startsWith(io + "."))) {
                        events.add(SimpleConditionEvent.violated(d, item.getPackageName() + " must stay pure: "
                                + d.getDescription()));
                    }
                }
            }
        }).allowEmptyShould(false).check(projectClasses);
    }

    @Test
    void theRuleItselfKnowsItsLevels() {
        assertThat(moduleOf("dev.doublelock.policy.transport")).isEqualTo("policy.transport");
        assertThat(moduleOf("dev.doublelock.relay.intake")).isEqualTo("relay.intake");
        assertThat(moduleOf("dev.doublelock.tls.probe.internal")).isEqualTo("tls.probe");
        assertThat(moduleOf("dev.doublelock.tls")).isEqualTo("tls");
        assertThat(moduleOf("dev.doublelock.nowhere")).isNull();
        assertThat(moduleOf("java.util")).isEqualTo("");
    }

    /** The listed package a package belongs to; "" for non-project packages; null if unlisted. */
    static String moduleOf(String packageName) {
        if (!packageName.startsWith(ROOT)) return packageName.startsWith("dev.doublelock") ? null : "";
        String p = packageName.substring(ROOT.length());
        while (true) {
            if (LEVELS.containsKey(p)) return p;
            int dot = p.lastIndexOf('.');
            if (dot < 0) return null;
            p = p.substring(0, dot);
        }
    }
}
