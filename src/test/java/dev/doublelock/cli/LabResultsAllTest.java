package dev.doublelock.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.doublelock.lab.LabProfile;
import dev.doublelock.lab.RecordStore;
import dev.doublelock.lab.SessionRecord;
import dev.doublelock.lab.Verdict;
import dev.doublelock.tls.probe.ProbeTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code lab results} shows senders only; {@code --all} adds the checker's probes and bare port checks. */
class LabResultsAllTest {
    static SessionRecord record(LabProfile p, String ehlo, String from, Verdict v) {
        return new SessionRecord(-1, "s", Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:01Z"),
                p.profileName(), 2525, "127.0.0.1", ehlo, from == null ? "failed" : "established", null, null, null, null,
                false, from, from == null ? List.of() : List.of("x@lab.test"), 10, null, null, from == null ? 0 : 1, 0,
                "QUIT", v, null, List.of());
    }

    @Test
    void probesAndPortChecksOnlyWithAll(@TempDir Path data) throws Exception {
        try (RecordStore store = RecordStore.openDefault(data)) {
            store.insert(record(LabProfile.EXPIRED, "mta.example.org", "a@example.org", Verdict.DELIVERED_INSECURELY));
            store.insert(record(LabProfile.GOOD, ProbeTarget.DEFAULT_EHLO_NAME, null, Verdict.REFUSED_AT_HANDSHAKE));
            store.insert(record(LabProfile.GOOD, ProbeTarget.DEFAULT_EHLO_NAME, null, Verdict.REFUSED_AT_HANDSHAKE));
            store.insert(record(LabProfile.SHAME, "", null, Verdict.ABANDONED));
        }
        String d = data.toString();
        String text = LabCliTest.capture(() -> assertThat(Main.run("lab", "results", "--data", d)).isZero());
        assertThat(text).contains("mta.example.org (127.0.0.1) delivered to 1 of 1 defective endpoint it tried",
                "(2 checker probes and 1 port check not shown; --all shows them)").doesNotContain(ProbeTarget.DEFAULT_EHLO_NAME);
        String all = LabCliTest.capture(() -> assertThat(Main.run("lab", "results", "--data", d, "--all")).isZero());
        assertThat(all).contains(ProbeTarget.DEFAULT_EHLO_NAME, "no EHLO").doesNotContain("not shown");
        String json = LabCliTest.capture(() -> assertThat(Main.run("lab", "results", "--data", d, "--json")).isZero());
        assertThat(new ObjectMapper().readTree(json)).hasSize(1);
        String jsonAll = LabCliTest.capture(() -> assertThat(Main.run("lab", "results", "--data", d, "--json", "--all")).isZero());
        assertThat(new ObjectMapper().readTree(jsonAll)).hasSize(4);
    }
}
