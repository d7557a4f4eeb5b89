package dev.doublelock.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.doublelock.check.JsonSchemaCheck;
import dev.doublelock.testing.LabProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server-side STARTTLS injection probe against the lab's starttls-injection profile (which runs plaintext
 * pipelined after STARTTLS inside TLS, on purpose) and against its good profile (which discards it): the finding
 * appears and disappears. Real lab process, real TLS on loopback.
 */
class CheckStartTlsInjectionTest {
    static LabProcess lab;
    static JsonSchemaCheck schema;

    @BeforeAll
    static void start() throws Exception {
        lab = LabProcess.start(Files.createTempDirectory("check-injection"));
        schema = JsonSchemaCheck.committed();
    }

    @AfterAll
    static void stop() {
        if (lab != null) lab.close();
    }

    static JsonNode check(String profile) {
        CheckLabTest.Run run = CheckLabTest.check("127.0.0.1:" + lab.port(profile), "--json", "--trust", lab.caFile().toString(),
                "--name", "localhost");
        JsonNode r = run.json().getFirst();
        assertThat(schema.violations(r)).as(run.out()).isEmpty();
        return r;
    }

    static List<String> codes(JsonNode r) {
        List<String> out = new ArrayList<>();
        r.get("hosts").get(0).get("findings").forEach(f -> out.add(f.get("severity").asText() + " " + f.get("code").asText()));
        return out;
    }

    @Test
    void theInjectionProfileIsFoundVulnerable() {
        JsonNode r = check("starttls-injection");
        JsonNode x = r.get("hosts").get(0).get("vulnerabilities").get("starttls_injection");
        assertThat(x.get("status").asText()).as(x.toString()).isEqualTo("VULNERABLE");
        assertThat(x.get("evidence").asText()).contains("250");
        assertThat(codes(r)).containsExactly("FAIL STARTTLS_INJECTION");
        assertThat(r.get("verdict").asText()).isEqualTo("NON_COMPLIANT");
    }

    @Test
    void theGoodProfileDiscardsWhatCameBeforeTls() {
        JsonNode r = check("good");
        JsonNode h = r.get("hosts").get(0);
        assertThat(h.get("vulnerabilities").get("starttls_injection").get("status").asText()).isEqualTo("NOT_VULNERABLE");
        assertThat(h.get("untested")).as(h.toString()).isEmpty();
        assertThat(codes(r)).isEmpty();
        assertThat(r.get("verdict").asText()).isEqualTo("COMPLIANT");
    }
}
