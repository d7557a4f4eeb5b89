package dev.doublelock.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.lab.LabProfile;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's main command: the lab, the checker and the relay agree on every profile. */
class DemoCommandTest {
    /** Profiles the relay refuses for what it sees of the live key exchange (the DH group size). */
    static final Set<LabProfile> KEY_EXCHANGE_DEFECTS = java.util.EnumSet.of(LabProfile.DHE_1024);

    private static JsonNode demoRows;

    /** Runs the demo once for all tests of this class (it takes about a minute). */
    static synchronized JsonNode demo() throws Exception {
        if (demoRows == null) {
            String out = LabCliTest.capture(() -> assertThat(Main.run("demo", "--json")).isZero());
            demoRows = new ObjectMapper().readTree(out.substring(out.indexOf('[')));
        }
        return demoRows;
    }

    @Test
    void relayRefusesAWeakDheGroupInTheDemo() throws Exception {
        for (JsonNode row : demo()) {
            LabProfile p = LabProfile.byName(row.get("profile").asText()).orElseThrow();
            if (!KEY_EXCHANGE_DEFECTS.contains(p)) continue;
            assertThat(row.get("relay_outcome").asText()).as(p.profileName()).isEqualTo("refused");
            List<String> relay = new java.util.ArrayList<>();
            row.get("relay_findings").forEach(n -> relay.add(n.asText()));
            assertThat(relay).as(p.profileName()).contains("WEAK_KEY_EXCHANGE");
        }
    }

    @Test
    void checkerAndRelayAgreeOnEveryLabProfile() throws Exception {
        JsonNode rows = demo();
        assertThat(rows).hasSize(LabProfile.tlsProfiles().size()); // the DANE scenarios need the lab's DNS
        for (JsonNode row : rows) {
            LabProfile p = LabProfile.byName(row.get("profile").asText()).orElseThrow();
            Set<String> check = new HashSet<>();
            row.get("check_findings").forEach(n -> check.add(n.asText()));
            Set<String> expected = new HashSet<>(p.expectedFindings().stream().map(FindingCode::name).toList());
            Set<String> tolerated = new HashSet<>(p.toleratedFindings().stream().map(FindingCode::name).toList());
            assertThat(check).as(p.profileName()).containsAll(expected);
            check.removeAll(expected);
            check.removeAll(tolerated);
            assertThat(check).as("unexpected checker findings for %s", p).isEmpty();
            if (p.isGood()) {
                assertThat(row.get("relay_outcome").asText()).as(p.profileName()).isEqualTo("delivered");
            } else {
                assertThat(row.get("relay_outcome").asText()).as(p.profileName()).isEqualTo("refused");
                assertThat(row.get("relay_findings")).as(p.profileName()).isNotEmpty();
                List<String> relay = new java.util.ArrayList<>();
                row.get("relay_findings").forEach(n -> relay.add(n.asText()));
                assertThat(expected).as("relay findings for %s are among the expected ones", p).containsAnyElementsOf(relay);
                Set<String> checkFails = new HashSet<>();
                row.get("check_findings").forEach(n -> checkFails.add(n.asText()));
                // one verdict: the relay refuses only for what the checker reports as FAIL
                assertThat(checkFails).as("every relay refusal code for %s is a checker FAIL", p).containsAll(relay);
            }
        }
    }

    @Test
    void wrapsLongFindingLists() {
        assertThat(DemoCommand.wrap(List.of("AAAA", "BBBB", "CCCC"), 10)).containsExactly("AAAA, BBBB,", "CCCC");
        assertThat(DemoCommand.wrap(List.of("compliant"), 50)).containsExactly("compliant");
    }
}
