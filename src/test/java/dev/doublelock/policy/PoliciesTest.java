package dev.doublelock.policy;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.doublelock.finding.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PoliciesTest {
    static java.util.List<String> names() {
        return Policies.builtInNames();
    }

    @ParameterizedTest
    @MethodSource("names")
    void everyBuiltInLoadsAndEveryRuleHasIdAndSource(String name) {
        Policy p = Policies.builtIn(name);
        assertThat(p.name()).isEqualTo(name);
        assertThat(p.rules()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.id()).isNotBlank();
            assertThat(r.source()).isNotBlank();
            assertThat(Checks.byType(r.check())).isPresent();
        });
        assertThat(Policies.rawJson(name)).contains("\"name\": \"" + name + "\"");
    }

    @Test
    void extendsReplacesRulesByIdAndOpportunisticIsReportOnly() {
        Policy bsi = Policies.builtIn("bsi");
        Policy strict = Policies.builtIn("bsi-strict");
        assertThat(bsi.rule("bsi.cert.key.recommended").orElseThrow().severity()).isEqualTo(Severity.WARN);
        assertThat(strict.rule("bsi.cert.key.recommended").orElseThrow().severity()).isEqualTo(Severity.FAIL);
        assertThat(strict.rule("bsi.cert.key.minimum")).as("inherited").isPresent();
        assertThat(Policies.builtIn("opportunistic").mode()).isEqualTo(Policy.Mode.REPORT_ONLY);
        assertThat(Policies.builtIn("opportunistic").rules()).hasSameSizeAs(bsi.rules());
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Policies.resolve("bsy")).isInstanceOf(PolicyException.class)
                .hasMessageContaining("bsy").hasMessageContaining("bsi, bsi-strict, tr-03108, opportunistic");
    }

    @Test
    void userFileCanExtendABuiltIn(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("mine.json");
        Files.writeString(f, """
                {"name": "mine", "version": "1", "title": "t", "source": "s", "extends": "bsi",
                 "rules": [{"id": "bsi.cert.key.recommended", "check": "certificate-key", "severity": "INFO",
                            "source": "local waiver", "params": {"rsaMinBits": 3000}}]}""");
        Policy p = Policies.resolve(f.toString());
        assertThat(p.rule("bsi.cert.key.recommended").orElseThrow().severity()).isEqualTo(Severity.INFO);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"name":"x","version":"1","title":"t","source":"s","rules":[{"id":"a","check":"certificate-key","severity":"FAIL"}]}       | missing 'source'
            {"name":"x","version":"1","title":"t","source":"s","rules":[{"id":"a","check":"nope","severity":"FAIL","source":"s"}]}     | unknown check 'nope'
            {"name":"x","version":"1","title":"t","source":"s","rules":[{"id":"a","check":"certificate-key","severity":"BAD","source":"s"}]} | severity 'BAD' is unknown
            {"name":"x","version":"1","title":"t","source":"s","rules":[{"id":"a","check":"certificate-key","severity":"FAIL","source":"s","params":{"rsaMin":1}}]} | parameter 'rsaMin' is not used
            {"name":"x","version":"1","title":"t","source":"s","rules":[{"id":"a","check":"protocol-versions","severity":"FAIL","source":"s","params":{"notRecommended":["TLS 9"]}}]} | unknown TLS version
            {"name":"x","version":"1","title":"t","source":"s","rules":[{"id":"a","check":"cipher-suites","severity":"FAIL","source":"s","params":{"forbiddenTraits":["SLOW"]}}]} | unknown cipher-suite trait
            {"name":"x","version":"1","title":"t","source":"s","rules":[]}                                                               | has no rules
            {"name":"x","version":"1","title":"t","source":"s","extends":"nist","rules":[]}                                              | extends unknown policy 'nist'
            {"name":"x","version":"1","title":"t","source":"s","rulez":[]}                                                               | unknown top level field 'rulez'
            {"name":"x",                                                                                                                  | not valid JSON
            """)
    void invalidFilesNameTheFileAndTheProblem(String json, String problem, @TempDir Path dir) throws Exception {
        Path f = dir.resolve("broken.json");
        Files.writeString(f, json);
        assertThatThrownBy(() -> Policies.resolve(f.toString())).isInstanceOf(PolicyException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining(problem);
    }
}
