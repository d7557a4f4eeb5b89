package dev.doublelock.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.doublelock.lab.DaneScenarioResult;
import dev.doublelock.lab.LabProfile;
import dev.doublelock.lab.RecordStore;
import dev.doublelock.lab.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static dev.doublelock.cli.LabResultsAllTest.record;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sender's results at the DANE scenarios: passed, failed or not seen, judged against what RFC 7672 requires, in
 * {@code lab results}, {@code lab results --dane [--json]}.
 */
class LabResultsDaneTest {
    @Test
    void eachScenarioIsJudgedAgainstWhatRfc7672Requires() {
        assertThat(DaneScenarioResult.of(LabProfile.DANE_EE, Optional.of(Verdict.DELIVERED)).result())
                .isEqualTo(DaneScenarioResult.Result.PASSED);
        assertThat(DaneScenarioResult.of(LabProfile.DANE_EE, Optional.of(Verdict.REFUSED_AFTER_HANDSHAKE)).result())
                .as("a PKIX-only sender refuses the self-signed leaf DANE-EE authenticates").isEqualTo(DaneScenarioResult.Result.FAILED);
        assertThat(DaneScenarioResult.of(LabProfile.DANE_NO_TLSA, Optional.of(Verdict.NO_TLS_DELIVERED)).result())
                .isEqualTo(DaneScenarioResult.Result.FAILED);
        assertThat(DaneScenarioResult.of(LabProfile.DANE_SERVFAIL, Optional.of(Verdict.DELIVERED_DESPITE_DANE)).result())
                .isEqualTo(DaneScenarioResult.Result.FAILED);
        assertThat(DaneScenarioResult.of(LabProfile.DANE_NOT_MATCHING, Optional.of(Verdict.REFUSED_AT_HANDSHAKE)).result())
                .isEqualTo(DaneScenarioResult.Result.PASSED);
        assertThat(DaneScenarioResult.of(LabProfile.DANE_BROKEN_RRSIG, Optional.empty()).result())
                .isEqualTo(DaneScenarioResult.Result.NOT_SEEN);
        assertThat(DaneScenarioResult.of(Map.of(LabProfile.GOOD, Verdict.DELIVERED))).as("no DANE scenario tried").isEmpty();
    }

    @Test
    void labResultsShowsThemPerSender(@TempDir Path data) throws Exception {
        try (RecordStore store = RecordStore.openDefault(data)) {
            store.insert(record(LabProfile.DANE_EE, "mta.example.org", "a@example.org", Verdict.DELIVERED));
            store.insert(record(LabProfile.DANE_SERVFAIL, "mta.example.org", "a@example.org", Verdict.DELIVERED_DESPITE_DANE));
            store.insert(record(LabProfile.DANE_NOT_MATCHING, "mta.example.org", null, Verdict.REFUSED_AT_HANDSHAKE));
        }
        String d = data.toString();
        String json = LabCliTest.capture(() -> assertThat(Main.run("lab", "results", "--data", d, "--dane", "--json")).isZero());
        JsonNode senders = new ObjectMapper().readTree(json);
        assertThat(senders).hasSize(1);
        Map<String, String> results = new LinkedHashMap<>();
        senders.get(0).get("dane").forEach(n -> results.put(n.get("profile").asText(),
                n.get("sender_must").asText() + " " + n.get("verdict").asText() + " " + n.get("result").asText()));
        assertThat(results).hasSize(9).containsEntry("dane-ee", "DELIVER DELIVERED PASSED")
                .containsEntry("dane-servfail", "DEFER DELIVERED_DESPITE_DANE FAILED")
                .containsEntry("dane-not-matching", "DEFER REFUSED_AT_HANDSHAKE PASSED")
                .containsEntry("dane-expired-rrsig", "DEFER null NOT_SEEN")
                .containsEntry("dane-no-tlsa", "DELIVER_WITHOUT_DANE null NOT_SEEN");
        String text = LabCliTest.capture(() -> assertThat(Main.run("lab", "results", "--data", d)).isZero());
        assertThat(text).contains("DANE (RFC 7672):", "dane-servfail: must defer; saw DELIVERED_DESPITE_DANE",
                "passed if it was sent mail there");
    }
}
