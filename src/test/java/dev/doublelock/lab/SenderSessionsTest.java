package dev.doublelock.lab;

import dev.doublelock.tls.probe.ProbeTarget;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SenderSessionsTest {
    static long ids;

    static SessionRecord record(LabProfile p, String ehlo, String startTls, int messages, Verdict v) {
        return new SessionRecord(++ids, "s" + ids, Instant.EPOCH, Instant.EPOCH, p.profileName(), 2525, "192.0.2.7", ehlo,
                startTls, null, null, null, null, false, messages > 0 ? "a@sender.example" : null, List.of(), 0, null,
                null, messages, 0, "QUIT", v, null, List.of());
    }

    @Test
    void checkerProbesAndPortChecksAreLeftOutUnlessAll() {
        SessionRecord sender = record(LabProfile.EXPIRED, "mta.example.org", "established", 1, Verdict.DELIVERED_INSECURELY);
        SessionRecord probe = record(LabProfile.GOOD, ProbeTarget.DEFAULT_EHLO_NAME, "failed", 0, Verdict.REFUSED_AT_HANDSHAKE);
        SessionRecord oldProbe = record(LabProfile.GOOD, "doublelock.invalid", "failed", 0, Verdict.REFUSED_AT_HANDSHAKE);
        SessionRecord namedProbe = record(LabProfile.GOOD, "DoubleLock-Check.example.org", "failed", 0, Verdict.REFUSED_AT_HANDSHAKE);
        SessionRecord portCheck = record(LabProfile.SHAME, "", "not-tried", 0, Verdict.ABANDONED);
        // a sender that merely refused (EHLO, no mail) is a sender: refusing is what the lab wants to see
        SessionRecord refusing = record(LabProfile.NO_STARTTLS, "strict.example.org", "not-tried", 0, Verdict.ABANDONED);
        // the probe's name with mail delivered is not the prober (it never sends MAIL)
        SessionRecord mailingProbeName = record(LabProfile.GOOD, ProbeTarget.DEFAULT_EHLO_NAME, "established", 1, Verdict.DELIVERED);
        List<SessionRecord> all = List.of(sender, probe, oldProbe, namedProbe, portCheck, refusing, mailingProbeName);

        SenderSessions shown = SenderSessions.of(all, false);
        assertThat(shown.shown()).containsExactly(sender, refusing, mailingProbeName);
        assertThat(shown.hidden()).isEqualTo(Map.of(SessionKind.CHECKER_PROBE, 3, SessionKind.PORT_CHECK, 1));
        assertThat(shown.hiddenNote()).isEqualTo("3 checker probes and 1 port check not shown");
        assertThat(SenderSessions.of(all, true).shown()).isEqualTo(all);
        assertThat(SenderSessions.of(all, true).hiddenNote()).isEmpty();
        assertThat(ProbeTarget.isProbeEhloName("doublelock-checker.example")).isFalse();
        assertThat(ProbeTarget.isProbeEhloName("mx.doublelock-check.example")).isFalse();
    }

    @Test
    void oneLinePerSenderNamesTheDefectsAndTheFixes() {
        List<SessionRecord> records = List.of(
                record(LabProfile.EXPIRED, "mta.example.org", "established", 1, Verdict.DELIVERED_INSECURELY),
                record(LabProfile.TLS_1_0_ONLY, "mta.example.org", "established", 1, Verdict.DELIVERED_INSECURELY),
                record(LabProfile.STARTTLS_BROKEN, "mta.example.org", "refused-454", 1, Verdict.PLAINTEXT_FALLBACK),
                record(LabProfile.RSA_1024, "mta.example.org", "failed", 0, Verdict.REFUSED_AT_HANDSHAKE),
                record(LabProfile.GOOD, "mta.example.org", "established", 1, Verdict.DELIVERED));
        ResultsMatrix.Row row = ResultsMatrix.of(records).rows().getFirst();
        SenderSummary s = SenderSummary.of(row);
        int defective = SenderSummary.defectiveProfiles();
        // good, tls-1.3-only and starttls-injection (its defect is the server's, not one a sender can see)
        // also the DANE scenarios a sender may deliver to: dane-ee, dane-ta, dane-insecure, dane-no-tlsa
        assertThat(defective).isEqualTo(LabProfile.values().length - 8);
        assertThat(s.line()).isEqualTo("mta.example.org (192.0.2.7) delivered to 3 of 4 defective endpoints it tried ("
                + defective + " in the lab): expired certificate, TLS 1.0 only, STARTTLS refused (454).");
        assertThat(s.remedies()).containsExactlyInAnyOrder(Remedy.VERIFY_CERTIFICATES, Remedy.MODERN_PROTOCOLS,
                Remedy.REQUIRE_TLS);
        assertThat(Remedy.VERIFY_CERTIFICATES.settings()).extracting(Remedy.Setting::mta)
                .containsExactly("Postfix", "Exim", "OpenSMTPD", "msmtp");

        SenderSummary careful = SenderSummary.of(ResultsMatrix.of(List.of(
                record(LabProfile.EXPIRED, "mx.careful.example", "failed", 0, Verdict.REFUSED_AT_HANDSHAKE))).rows().getFirst());
        assertThat(careful.line()).isEqualTo("mx.careful.example (192.0.2.7) refused the one defective endpoint it tried ("
                + defective + " in the lab).");
        assertThat(careful.remedies()).isEmpty();
    }
}
