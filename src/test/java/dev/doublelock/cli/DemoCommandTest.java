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
    @Test
    void checkerAndRelayAgreeOnEveryLabProfile() throws Exception {
        String out = LabCliTest.capture(() -> assertThat(Main.run("demo", "--json")).isZero());
        JsonNode rows = new ObjectMapper().readTree(out.substring(out.indexOf('[')));
        assertThat(rows).hasSize(LabProfile.values().length);
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
                assertThat(row.get("relay_outcome").asText()).isEqualTo("delivered");
            } else {
                assertThat(row.get("relay_outcome").asText()).as(p.profileName()).isEqualTo("refused");
                assertThat(row.get("relay_findings")).as(p.profileName()).isNotEmpty();
                List<String> relay = new java.util.ArrayList<>();
                row.get("relay_findings").forEach(n -> relay.add(n.asText()));
                assertThat(expected).as("relay findings for %s are among the expected ones", p).containsAnyElementsOf(relay);
            }
        }
    }

    @Test
    void wrapsLongFindingLists() {
        assertThat(DemoCommand.wrap(List.of("AAAA", "BBBB", "CCCC"), 10)).containsExactly("AAAA, BBBB,", "CCCC");
        assertThat(DemoCommand.wrap(List.of("compliant"), 50)).containsExactly("compliant");
    }
}
